// The bin shim's V8 Wasm tiering policy (bin/wasm-tiering.cjs): Liftoff only for the one-shot
// CLI process unless the user chose a tier policy themselves; a user's node flags and
// NODE_OPTIONS keep working and the Wasm call still runs with each of them.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat, capstanBin, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

const { wasmTieringFlags } = createRequire(import.meta.url)("../bin/wasm-tiering.cjs") as {
  wasmTieringFlags: (
    execArgv: string[],
    env: Record<string, string | undefined>,
    arch?: string,
  ) => string | null;
};

test("the CLI runs Wasm on Liftoff only (x64 and arm64)", () => {
  expect(wasmTieringFlags([], {}, "x64")).toBe("--liftoff-only");
  expect(wasmTieringFlags([], {}, "arm64")).toBe("--liftoff-only");
  expect(
    wasmTieringFlags(["--max-old-space-size=100"], { NODE_OPTIONS: "--enable-source-maps" }, "x64"),
  ).toBe("--liftoff-only");
  expect(wasmTieringFlags([], {}, "s390x")).toBeNull();
});

test("a tier policy the user chose wins (node flags, NODE_OPTIONS, CAPSTAN_WASM_TIERING=v8)", () => {
  expect(wasmTieringFlags(["--liftoff-only"], {})).toBeNull();
  expect(wasmTieringFlags(["--wasm-tier-up"], {})).toBeNull();
  expect(wasmTieringFlags(["--no-liftoff"], {})).toBeNull();
  expect(wasmTieringFlags(["--wasm-tiering-budget=5"], {})).toBeNull();
  expect(wasmTieringFlags([], { NODE_OPTIONS: "--no-wasm-dynamic-tiering" })).toBeNull();
  expect(wasmTieringFlags([], { CAPSTAN_WASM_TIERING: "v8" })).toBeNull();
});

let home: Home;
beforeAll(async () => {
  requireBuild();
  home = makeHome();
  writePlugin(home, "wt", "apiVersion: v1\nname: wt\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n", {
    "plugin.wasm": await assembleWat("cli"),
  });
});
afterAll(() => home.remove());

test.each([
  ["no flags", [], {}],
  ["the user's NODE_OPTIONS", [], { NODE_OPTIONS: "--max-old-space-size=200 --enable-source-maps" }],
  ["node --liftoff-only", ["--liftoff-only"], {}],
  ["CAPSTAN_WASM_TIERING=v8", [], { CAPSTAN_WASM_TIERING: "v8" }],
])("a Wasm plugin call runs with %s", (_name, nodeArgs, env) => {
  const r = spawnSync(process.execPath, [...nodeArgs, capstanBin, "wt", "a"], {
    env: { ...home.env, ...env },
    encoding: "utf8",
  });
  expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
    code: 0,
    stdout: 'wasm cli got: {"extraArgs":["a"]}\n',
    stderr: "",
  });
});
