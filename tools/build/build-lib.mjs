#!/usr/bin/env node
// Builds a library package: every non-test file under src/ is transpiled one to one into
// dist/ (ESM, Node 20, source maps). Type checking is the separate `typecheck` task.
// Usage (from a package directory): capstan-build-lib [extra entry globs...]
//
// dist/ is never emptied: other processes (tests spawning the CLI, packages importing this
// one's dist) may be reading it while a build runs. Each output is written to a temporary
// file and renamed over the old one (atomic), then outputs of the previous build that this
// one no longer produces are deleted (dist/.build-lib.json lists them). Files that other
// build steps put in dist/ are left alone. The record also holds a digest of the sources
// (freshness.mjs), which the release compares with the sources it is about to publish.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";
import { inputDigest } from "./freshness.mjs";

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mts)$/.test(e.name) && !/\.test\.ts$|\.d\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Writes `path` through a temporary file and a rename, so readers see the old or the new file. */
function writeAtomic(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

const dist = resolve("dist");
const record = join(dist, ".build-lib.json");
let previous = null;
try {
  previous = JSON.parse(readFileSync(record, "utf8")).files;
} catch {
  // first build with this script: dist may hold anything, start clean once
}
if (!Array.isArray(previous)) rmSync(dist, { recursive: true, force: true });

const entries = sources("src");
const out = await build({
  entryPoints: entries,
  outdir: "dist",
  outbase: "src",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  write: false,
});
const files = out.outputFiles.map((f) => relative(dist, f.path));
for (const f of out.outputFiles) writeAtomic(f.path, f.contents);
const kept = new Set(files);
for (const f of previous ?? [])
  if (!kept.has(f) && !f.startsWith("..")) rmSync(join(dist, f), { force: true });
const inputs = inputDigest(entries, resolve("."));
writeAtomic(record, `${JSON.stringify({ inputs, files }, null, 1)}\n`);
