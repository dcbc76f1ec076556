// @capstan/engine: QuickJS + C glue -> engine.wasm (built from registry sources).

export type { WasmType } from "./engine-abi.js";
export {
  engineConfigKeys,
  engineDefaults,
  engineExports,
  hostDispatchImport,
  kernelImports,
  valueTypeCodes,
} from "./engine-abi.js";
export { engineBuilt, engineWasmPath } from "./engine-path.js";
export type { InitInput, InitScript } from "./init-input.js";
export { encodeInitInput } from "./init-input.js";
/** The package name (smoke test). */
export const packageName = "@capstan/engine";
