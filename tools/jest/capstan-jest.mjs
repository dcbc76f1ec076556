#!/usr/bin/env node
// Runs jest for the package in the current directory with ESM enabled, and records the
// results in .test-results.json for the repository-wide summary line (tools/setup/run.mjs).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
// jest does not export its bin path; it sits beside build/ in the package.
const jestBin = join(dirname(require.resolve("jest", { paths: [process.cwd()] })), "..", "bin", "jest.js");
const r = spawnSync(
  process.execPath,
  [
    "--experimental-vm-modules",
    "--no-warnings",
    jestBin,
    "--json",
    "--outputFile=.test-results.json",
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
process.exit(r.status ?? 1);
