// V8's Wasm tiering policy for the `capstan` process (docs/decisions.md, "Wasm tiering in the
// CLI"). V8 starts every Wasm function in Liftoff (baseline) and recompiles hot ones with
// TurboFan in background threads; the engine's QuickJS interpreter loop gets hot within
// milliseconds, and a one-shot process then waits ~100 ms at exit for TurboFan jobs whose code
// it never runs. A very high tiering budget keeps short calls on Liftoff while a call that
// interprets for seconds (thousands of manifests) still tiers up. Long-lived embedders of
// @capstan/host keep V8's default. Set before the first Wasm compile, and before the bundle's
// vm.Script: V8's code cache checks the flag hash, so it must be the same on every run.
"use strict";

const BUDGET = "--wasm-tiering-budget=1000000000";

/**
 * The V8 flags to set for this process, or null: none when the user chose a Wasm tier policy
 * on the node command line or in NODE_OPTIONS, or set CAPSTAN_WASM_TIERING=v8 (V8 defaults).
 */
function wasmTieringFlags(execArgv, env) {
  if (env.CAPSTAN_WASM_TIERING === "v8") return null;
  const own = `${execArgv.join(" ")} ${env.NODE_OPTIONS ?? ""}`;
  if (/--(no-)?(liftoff|wasm-tier|wasm-dynamic-tiering)/.test(own)) return null;
  return BUDGET;
}

/** Applies wasmTieringFlags to this process (node:v8 is loaded only when there is a flag). */
function applyWasmTiering(execArgv = process.execArgv, env = process.env) {
  const flags = wasmTieringFlags(execArgv, env);
  if (flags) require("node:v8").setFlagsFromString(flags);
  return flags;
}

module.exports = { applyWasmTiering, wasmTieringFlags };
