// No wasm-opt binary is ever run (docs/decisions.md): the engine is optimized once with
// binaryen.js from npm (pipeline/optimize-engine.ts), and plugins get no per-build pass, so
// the output does not depend on what the machine has on PATH, and skipOpt changes nothing.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, expect, test } from "@jest/globals";
import { compile } from "../src/compile.js";

const dir = mkdtempSync(join(tmpdir(), "capstan-no-opt-"));
const path = process.env.PATH;
afterAll(() => {
  process.env.PATH = path;
  rmSync(dir, { recursive: true, force: true });
});

test("a wasm-opt on PATH is not run, with or without skipOpt", async () => {
  const marker = join(dir, "ran");
  writeFileSync(join(dir, "wasm-opt"), `#!/bin/sh\ntouch "${marker}"\nexit 1\n`);
  chmodSync(join(dir, "wasm-opt"), 0o755);
  process.env.PATH = `${dir}${delimiter}${path}`;
  const entry = join(dir, "index.ts");
  writeFileSync(entry, "export function helm_plugin_main(): number { return 0; }\n");
  const a = await compile({ entry });
  const b = await compile({ entry, skipOpt: true });
  expect(existsSync(marker)).toBe(false);
  expect(Buffer.from(a.wasm).equals(Buffer.from(b.wasm))).toBe(true);
}, 60_000);
