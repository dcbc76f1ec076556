// V8's Wasm tiering policy for the `capstan` process (docs/decisions.md, "Wasm tiering in the
// CLI"). V8 starts every Wasm function in Liftoff (baseline) and recompiles hot ones with
// TurboFan in background threads. The engine's QuickJS interpreter loop is one huge function
// that gets hot within milliseconds; a one-shot process then spends CPU on TurboFan jobs and
// waits for them before it exits (~100 ms for `capstan hello`, ~1 s for a 1-document
// postrender, on the 2-core machine), for code it hardly runs. A higher tiering budget does
// not help (the loop's size drains any budget at once), so the CLI runs Liftoff only, on the
// architectures where Liftoff covers everything (x64, arm64). Long-lived embedders of
// @capstan/host keep V8's default. Set before the first Wasm compile, and before the bundle's
// vm.Script: V8's code cache checks the flag hash, so it must be the same on every run.
"use strict";

const LIFTOFF_ONLY = "--liftoff-only";

/**
 * The V8 flags to set for this process, or null: none when the user chose a Wasm tier policy
 * on the node command line or in NODE_OPTIONS, set CAPSTAN_WASM_TIERING=v8 (V8 defaults), or
 * on architectures without a complete Liftoff.
 */
function wasmTieringFlags(execArgv, env, arch = process.arch) {
  if (env.CAPSTAN_WASM_TIERING === "v8" || (arch !== "x64" && arch !== "arm64")) return null;
  const own = `${execArgv.join(" ")} ${env.NODE_OPTIONS ?? ""}`;
  if (/--(no-)?(liftoff|wasm-tier|wasm-dynamic-tiering)/.test(own)) return null;
  return LIFTOFF_ONLY;
}

/** Applies wasmTieringFlags to this process (node:v8 is loaded only when there is a flag). */
function applyWasmTiering(execArgv = process.execArgv, env = process.env) {
  const flags = wasmTieringFlags(execArgv, env);
  if (flags) require("node:v8").setFlagsFromString(flags);
  return flags;
}

module.exports = { applyWasmTiering, wasmTieringFlags };
