import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of build/engine.wasm (built by this package's `build` script). */
export function engineWasmPath(): string {
  return fileURLToPath(new URL("../build/engine.wasm", import.meta.url));
}

/** True when build/engine.wasm exists. */
export function engineBuilt(): boolean {
  return existsSync(engineWasmPath());
}
