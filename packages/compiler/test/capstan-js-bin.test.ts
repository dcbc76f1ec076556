// The capstan-js binary (built dist/): extism-js compatible flags, exit codes, messages.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "@jest/globals";
import { callText, instantiate } from "./helpers.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(pkg, "bin/capstan-js.mjs");
const hello = join(pkg, "test/fixtures/hello");
const tmp = mkdtempSync(join(tmpdir(), "capstan-js-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

test("compiles with -i/-o/--skip-opt and the output runs", async () => {
  const out = join(tmp, "hello.wasm");
  const r = run([join(hello, "index.ts"), "-i", join(hello, "plugin.d.ts"), "-o", out, "--skip-opt"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const p = await instantiate(new Uint8Array(readFileSync(out)));
  expect(await callText(p, "greet", "bin")).toEqual({ ok: true, text: "Hello, bin!" });
  await p.close();
});

test("a bad interface file fails with file:line and exit code 1", () => {
  const iface = join(tmp, "bad.d.ts");
  writeFileSync(iface, 'declare module "main" {\n  export function greet(): string;\n}\n');
  const out = join(tmp, "bad.wasm");
  const r = run([join(hello, "index.ts"), "-i", iface, "-o", out]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`error: ${iface}:2:28: export greet result: unsupported type "string"`);
  expect(existsSync(out)).toBe(false);
});

test("an export missing from module.exports fails the build", () => {
  const iface = join(tmp, "missing.d.ts");
  writeFileSync(iface, 'declare module "main" {\n  export function nope(): I32;\n}\n');
  const r = run([join(hello, "index.ts"), "-i", iface, "-o", join(tmp, "m.wasm"), "--skip-opt"]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(
    'export "nope" is declared in the interface file but module.exports.nope is not a function',
  );
});

test("usage errors exit 2", () => {
  const r = run(["--bogus"]);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("usage: capstan-js");
});

test("top-level code calling a host API fails with an explanation", () => {
  const entry = join(tmp, "toplevel.ts");
  writeFileSync(
    entry,
    'console.log("at load time");\nexport function helm_plugin_main(): number {\n  return 0;\n}\n',
  );
  const r = run([entry, "-o", join(tmp, "t.wasm"), "--skip-opt"]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("top-level code called a host API");
});

test("a top-level exception fails the build with its mapped position", () => {
  const entry = join(tmp, "throws.ts");
  writeFileSync(
    entry,
    'const x: number = 1;\nif (x) throw new Error("bad init");\nexport function helm_plugin_main(): number {\n  return 0;\n}\n',
  );
  const r = run([entry, "-o", join(tmp, "u.wasm"), "--skip-opt"]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("Error: bad init");
  expect(r.stderr).toMatch(/throws\.ts:2:\d+/);
});
