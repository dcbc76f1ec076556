// `buildPlugin` (the engine of `capstan plugin build`): manifest + TS entry with an npm
// dependency -> plugin.wasm next to plugin.yaml; type errors reported as file:line.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "@jest/globals";
import { buildPluginIfStale } from "../src/plugin/build-if-stale.js";
import { buildPlugin } from "../src/plugin/build-plugin.js";
import { callText, instantiate } from "./helpers.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures/yaml-plugin");
const tmp = mkdtempSync(join(tmpdir(), "capstan-build-"));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(join(fixture, "plugin.wasm"), { force: true });
});

test("builds plugin.wasm with an npm dependency and runs it", async () => {
  const r = await buildPlugin(fixture, { skipOpt: true });
  expect(r.output).toBe(join(fixture, "plugin.wasm"));
  expect(r.entry).toBe(join(fixture, "src/index.ts"));
  expect(existsSync(r.output)).toBe(true);
  // What the module is made of: the parts add up, and the npm dependency is the largest input.
  const s = r.sizes;
  expect(s.total).toBe(r.size);
  expect(s.engineCode + s.snapshotHeap + s.other).toBe(s.total);
  expect(s.engineCode).toBeGreaterThan(100_000);
  expect(s.snapshotHeap).toBeGreaterThan(s.bundle);
  expect(s.largestInputs[0]?.path).toBe("yaml (npm)");
  expect(s.largestInputs.length).toBeLessThanOrEqual(5);
  const p = await instantiate(new Uint8Array(readFileSync(r.output)));
  const out = await callText(p, "helm_plugin_main", "kind: A\nmetadata:\n  name: a\n---\nkind: B\n");
  expect(out).toEqual({
    ok: true,
    text: "kind: A\nmetadata:\n  name: a\n  labels:\n    built: capstan\n---\nkind: B\nmetadata:\n  labels:\n    built: capstan\n",
  });
  await p.close();
});

test("buildPluginIfStale skips a plugin.wasm newer than its sources and rebuilds an older one", async () => {
  const wasm = join(fixture, "plugin.wasm");
  expect(await buildPluginIfStale(fixture, { skipOpt: true })).toBe(false);
  utimesSync(wasm, new Date(0), new Date(0));
  expect(await buildPluginIfStale(fixture, { skipOpt: true })).toBe(true);
  expect(statSync(wasm).mtimeMs).toBeGreaterThan(0);
  expect(await buildPluginIfStale(fixture, { skipOpt: true })).toBe(false);
});

test("type errors are reported with file:line before compiling", async () => {
  const dir = join(tmp, "bad");
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    "apiVersion: v1\nname: bad\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n",
  );
  writeFileSync(
    join(dir, "src/index.ts"),
    'export function helm_plugin_main(): number {\n  const n: number = "text";\n  return n;\n}\n',
  );
  await expect(buildPlugin(dir)).rejects.toThrow(
    /src\/index\.ts:2:9: Type 'string' is not assignable to type 'number'/,
  );
  expect(existsSync(join(dir, "plugin.wasm"))).toBe(false);
});

test("a subprocess plugin is refused with a hint", async () => {
  const dir = join(tmp, "sub");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    "apiVersion: v1\nname: sub\nversion: 0.1.0\ntype: cli/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: bin/x\n",
  );
  await expect(buildPlugin(dir)).rejects.toThrow(/only extism\/v1 plugins/);
});

test("the build finds src/interface.d.ts (codegen's default) and fails when an export is missing", async () => {
  const dir = join(tmp, "codegen-layout");
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    "apiVersion: v1\nname: layout\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n",
  );
  writeFileSync(
    join(dir, "src/interface.d.ts"),
    'declare module "main" {\n  export function greet(): I32;\n  export function count(): I32;\n}\n',
  );
  writeFileSync(
    join(dir, "src/index.ts"),
    'export function greet(): number {\n  Host.outputString("hi");\n  return 0;\n}\n',
  );
  const err = (await buildPlugin(dir, { skipOpt: true }).catch((e) => e)) as {
    code: string;
    message: string;
    hint: string;
  };
  // the engine checks every interface export after the module's top-level code ran
  expect(err.code).toBe("COMPILER_SNAPSHOT");
  expect(err.message).toContain(
    'export "count" is declared in the interface file but module.exports.count is not a function',
  );
  writeFileSync(
    join(dir, "src/index.ts"),
    'export function greet(): number {\n  Host.outputString("hi");\n  return 0;\n}\nexport const count = (): number => 0;\n',
  );
  const r = await buildPlugin(dir, { skipOpt: true });
  expect(r.interfaceFile).toBe(join(dir, "src/interface.d.ts"));
  const p = await instantiate(new Uint8Array(readFileSync(r.output)));
  expect(await callText(p, "greet", "")).toEqual({ ok: true, text: "hi" });
  await p.close();
}, 60_000);

test("importing node:fs or fs fails the build with a hint naming Capstan.readFile/readDir", async () => {
  const dir = join(tmp, "uses-fs");
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    "apiVersion: v1\nname: usesfs\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n",
  );
  writeFileSync(
    join(dir, "src/index.ts"),
    'import { readdirSync } from "node:fs";\nexport function helm_plugin_main(): number {\n  return readdirSync("/").length;\n}\n',
  );
  const typed = (await buildPlugin(dir, { skipOpt: true }).catch((e) => e)) as { code: string; hint: string };
  expect(typed.code).toBe("COMPILER_TYPES");
  expect(typed.hint).toMatch(/Capstan\.readFile .*Capstan\.readDir/);
  writeFileSync(
    join(dir, "src/index.js"),
    'const fs = require("fs");\nexports.helm_plugin_main = () => fs.readdirSync("/").length;\n',
  );
  writeFileSync(join(dir, "package.json"), JSON.stringify({ capstan: { entry: "src/index.js" } }));
  const bundled = (await buildPlugin(dir, { skipOpt: true, typecheck: false }).catch((e) => e)) as {
    code: string;
    message: string;
    hint: string;
  };
  expect(bundled.code).toBe("COMPILER_BUNDLE");
  expect(bundled.message).toMatch(/src\/index\.js:1:\d+: "fs" cannot be imported inside a plugin/);
  expect(bundled.hint).toMatch(/Capstan\.readFile .*Capstan\.readDir/);
}, 60_000);
