#!/usr/bin/env node
// Builds a library package: every non-test file under src/ is transpiled one to one into
// dist/ (ESM, Node 20, source maps). Type checking is the separate `typecheck` task.
// Usage (from a package directory): capstan-build-lib [extra entry globs...]
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mts)$/.test(e.name) && !/\.test\.ts$|\.d\.ts$/.test(e.name) ? [p] : [];
  });
}

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: sources("src"),
  outdir: "dist",
  outbase: "src",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
});
