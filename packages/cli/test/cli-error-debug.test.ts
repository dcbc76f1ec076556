// How a failed plugin reads on the terminal: one `error:` line with the plugin's own frames
// (a Capstan-built plugin's stack, source-mapped to its TypeScript), and a `hint:` line last;
// --debug prints the same single error, never capstan's bundle frames.
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat, capstan, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

let home: Home;
beforeAll(async () => {
  requireBuild();
  home = makeHome();
  const wasm = await assembleWat("cli");
  const yaml = (name: string, entry: string) =>
    `apiVersion: v1\nname: ${name}\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\nruntimeConfig:\n  entryFuncName: ${entry}\n`;
  writePlugin(home, "wfail", yaml("wfail", "fail"), { "plugin.wasm": wasm });
  writePlugin(home, "wnoexport", yaml("wnoexport", "nope"), { "plugin.wasm": wasm });
});
afterAll(() => home.remove());

const lines = (text: string) => text.trimEnd().split("\n");

test("a plugin error shows the plugin's frames and ends with a hint line", async () => {
  const r = await capstan(home, ["wfail"]);
  expect(r.code).toBe(6);
  expect(lines(r.stderr)).toEqual([
    'error: plugin "wfail" failed: something broke',
    "    at run (src/index.ts:3:9)",
    expect.stringMatching(/^hint: the plugin reported this error itself: .*--debug/),
  ]);
});

test("--debug prints one error, the plugin's frames and the hint: no capstan frames", async () => {
  for (const args of [
    ["--debug", "wfail"],
    ["wfail", "--debug"],
  ]) {
    const r = await capstan(home, args);
    expect(r.code).toBe(6);
    const err = lines(r.stderr).filter((l) => !/^wfail: (trace|debug|info): /.test(l)); // plugin log lines
    expect(err).toEqual([
      'error: plugin "wfail" failed: something broke',
      "    at run (src/index.ts:3:9)",
      expect.stringMatching(/^hint: /),
    ]);
    expect(r.stderr).not.toContain("capstan.cjs");
    expect(r.stderr).not.toContain("RuntimeError");
  }
});

test("a missing export names the module's exports in its hint", async () => {
  const r = await capstan(home, ["wnoexport"]);
  expect(r.code).toBe(6);
  expect(lines(r.stderr)).toEqual([
    `error: plugin "wnoexport" (${home.plugins}/wnoexport/plugin.wasm) does not export a function "nope"`,
    "hint: set runtimeConfig.entryFuncName in plugin.yaml to the plugin's exported function (it exports helm_plugin_main, exit5, cat, env, fail, logs)",
  ]);
});

test("--debug on capstan's own errors: the message once, then where it was thrown, then the hint", async () => {
  const r = await capstan(home, ["--debug", "pull", "nourl"]);
  expect(r.code).toBe(2);
  const out = lines(r.stderr);
  expect(out[0]).toMatch(/^error: "nourl" is not a URL/);
  expect(out.filter((l) => l.includes("is not a URL"))).toHaveLength(1);
  expect(out.slice(1, -1).every((l) => /^\s+at /.test(l))).toBe(true);
  expect(out.length).toBeGreaterThan(2);
  expect(out.at(-1)).toMatch(/^hint: /);
});
