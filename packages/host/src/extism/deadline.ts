// Hard per-call time limit without a worker: the call runs inside a vm script with `timeout`,
// whose watchdog thread terminates V8 execution, which also stops a Wasm `loop {}`, a busy host
// function and an Atomics.wait (measured: docs/decisions.md). The isolate survives; the
// instance is thrown away after it.
import vm from "node:vm";
import type { WasmApi } from "./wasm-types.js";

// The script runs in the main realm (also under jest), so the callee is parked on that global.
const mainGlobal = vm.runInThisContext("globalThis") as Record<string, unknown>;
const slot = "__capstanExtismCallee";
const script = new vm.Script(`globalThis.${slot}()`, { filename: "capstan-extism-call" });

/** The main realm's WebAssembly (node:wasi checks `instanceof WebAssembly.Memory` against it). */
export const MainWebAssembly = vm.runInThisContext("WebAssembly") as WasmApi;

/** Thrown (as `cause`-less marker) when the deadline stopped the call. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`execution stopped after ${ms} ms`);
  }
}

/** Runs `fn` synchronously; stops it and throws DeadlineExceeded once `ms` have passed. */
export function runWithDeadline<T>(fn: () => T, ms: number): T {
  const previous = mainGlobal[slot];
  mainGlobal[slot] = fn;
  try {
    return script.runInThisContext({ timeout: Math.max(1, Math.ceil(ms)) }) as T;
  } catch (e) {
    if ((e as { code?: unknown })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new DeadlineExceeded(ms);
    throw e;
  } finally {
    mainGlobal[slot] = previous;
  }
}
