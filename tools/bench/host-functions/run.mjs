// Host function call cost, per call, in one process: Capstan's built-in JSON-block protocol
// (capstan_host_info) against an embedder's typed function (defineHostFunction, json -> json),
// inline and in a worker; optionally the built-in against another build of @capstan/host
// (a baseline bundle), in alternating order. Not a suite of run.mjs: it compares builds.
//   node tools/bench/host-functions/run.mjs [inline|worker] [baseline-bundle.mjs]
// The baseline bundle: `git archive <commit> packages/host/src packages/manifest | tar -x -C B`,
// then esbuild B/packages/host/src/index.ts --bundle --format=esm (docs/benchmarks.md).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// The built @capstan/host (npx pnpm build) and the wabt it tests with.
const here = dirname(fileURLToPath(import.meta.url));
const hostDir = join(here, "../../../packages/host");
const req = createRequire(join(hostDir, "package.json"));
const { default: wabtInit } = await import(pathToFileURL(req.resolve("wabt")).href);
const isolation = process.argv[2] ?? "inline";
const host = await import(pathToFileURL(join(hostDir, "dist/index.js")).href);
const baseline = process.argv[3] ? await import(pathToFileURL(resolve(process.argv[3])).href) : null;

const wabt = await wabtInit();
const out = mkdtempSync(join(tmpdir(), "capstan-bench-hostfn-"));
const wasm = (name) => {
  const m = wabt.parseWat(name, readFileSync(join(here, `${name}.wat`), "utf8"));
  const path = join(out, `${name}.wasm`);
  writeFileSync(path, m.toBinary({}).buffer);
  return path;
};
const builtin = wasm("builtin-loop");
const custom = wasm("custom-loop");
const echo = host.defineHostFunction({
  name: "echo_json",
  params: ["json"],
  results: ["json"],
  run: (_c, v) => v,
});
const policy = { name: "bench", hostFunctions: ["capstan_host_info"] };
const runtimes = {
  builtin: await host.openExtismModule(builtin, policy, { isolation }),
  custom: await host.openExtismModule(custom, { name: "bench" }, { isolation, hostFunctions: [echo] }),
  ...(baseline ? { baseline: await baseline.openExtismModule(builtin, policy, { isolation }) } : {}),
};
const samples = Object.fromEntries(Object.keys(runtimes).map((k) => [k, []]));
for (const rt of Object.values(runtimes)) await rt.call("", { funcName: "loop" }); // warm
for (let round = 0; round < 21; round++) {
  const order = Object.keys(runtimes);
  if (round % 2) order.reverse();
  for (const k of order) {
    const t = performance.now();
    await runtimes[k].call("", { funcName: "loop" });
    samples[k].push(performance.now() - t);
  }
}
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const us = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, (median(v) * 1000) / 20000]));
for (const [k, v] of Object.entries(us)) console.log(`${isolation} ${k}: ${v.toFixed(2)} us/call`);
console.log(`${isolation}: custom/builtin ${(us.custom / us.builtin).toFixed(2)}`);
if (baseline) console.log(`${isolation}: builtin/baseline ${(us.builtin / us.baseline).toFixed(2)}`);
for (const rt of Object.values(runtimes)) await rt.close();
