#!/usr/bin/env node
// Runs every suite in suites/*.mjs (or those named on the command line) and prints one
// markdown table. A suite exports `name` and `async run(ctx)`, returning rows
// { benchmark, value, unit, baseline?, baselineValue?, target? }. The ratio is value divided
// by the baseline measured in the same run, so results compare across machines.
// Results also go to tools/bench/results.json for docs/benchmarks.md.
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, timeCommand, timeFn, timeInterleaved } from "./measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(join(here, "suites"))
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows = [];
for (const file of files) {
  const suite = await import(pathToFileURL(join(here, "suites", file)).href);
  process.stderr.write(`bench: ${suite.name} ...\n`);
  const t0 = performance.now();
  const out = await suite.run({ root: join(here, "..", ".."), median, timeCommand, timeFn, timeInterleaved });
  for (const r of out) rows.push({ suite: suite.name, ...r });
  process.stderr.write(`bench: ${suite.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const fmt = (v) =>
  typeof v === "number" ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : (v ?? "");
const lines = [
  "| suite | benchmark | value | baseline | ratio | target |",
  "|---|---|---|---|---|---|",
  ...rows.map((r) => {
    const ratio = r.baselineValue ? r.value / r.baselineValue : undefined;
    const base = r.baseline ? `${r.baseline}: ${fmt(r.baselineValue)} ${r.unit}` : "";
    return `| ${r.suite} | ${r.benchmark} | ${fmt(r.value)} ${r.unit} | ${base} | ${ratio ? `${ratio.toFixed(2)}x` : ""} | ${r.target ?? ""} |`;
  }),
];
console.log(lines.join("\n"));
writeFileSync(
  join(here, "results.json"),
  `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
);
