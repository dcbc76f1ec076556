// The engine module's own ABI, as the compiler sees it: what engine.wasm imports and exports
// before the compiler snapshots it and rewrites the shims.

/** Wasm value types in the engine's import signatures. */
export type WasmType = "i32" | "i64";

/** Every extism:host/env function engine.wasm imports, with its signature. */
export const kernelImports: ReadonlyArray<{ name: string; params: WasmType[]; result: WasmType | null }> = [
  { name: "input_length", params: [], result: "i64" },
  { name: "input_load_u8", params: ["i64"], result: "i32" },
  { name: "input_load_u64", params: ["i64"], result: "i64" },
  { name: "alloc", params: ["i64"], result: "i64" },
  { name: "free", params: ["i64"], result: null },
  { name: "length", params: ["i64"], result: "i64" },
  { name: "load_u8", params: ["i64"], result: "i32" },
  { name: "load_u64", params: ["i64"], result: "i64" },
  { name: "store_u8", params: ["i64", "i32"], result: null },
  { name: "store_u64", params: ["i64", "i64"], result: null },
  { name: "output_set", params: ["i64", "i64"], result: null },
  { name: "error_set", params: ["i64"], result: null },
  { name: "config_get", params: ["i64"], result: "i64" },
  { name: "var_get", params: ["i64"], result: "i64" },
  { name: "var_set", params: ["i64", "i64"], result: null },
  { name: "http_request", params: ["i64", "i64"], result: "i64" },
  { name: "http_status_code", params: [], result: "i32" },
  { name: "http_headers", params: [], result: "i64" },
  { name: "log_trace", params: ["i64"], result: null },
  { name: "log_debug", params: ["i64"], result: null },
  { name: "log_info", params: ["i64"], result: null },
  { name: "log_warn", params: ["i64"], result: null },
  { name: "log_error", params: ["i64"], result: null },
  { name: "get_log_level", params: [], result: "i32" },
];

/** The engine's placeholder import that the compiler replaces with a generated dispatcher:
 *  (index: i32, args: i32 pointer to 8-byte slots, result: i32 pointer) -> i32 (0 ok, -1 bad index). */
export const hostDispatchImport = { module: "capstan:shim", name: "host_dispatch" } as const;

/** Engine exports: the Wizer init function and the by-index call entry point. */
export const engineExports = { init: "capstan_init", call: "capstan_call" } as const;

/** Type codes of host-function values in the init input (0 = void result). */
export const valueTypeCodes = { void: 0, I32: 1, I64: 2, F32: 3, F64: 4 } as const;

/** Plugin config keys the engine reads on an instance's first call. */
export const engineConfigKeys = {
  timeoutMs: "capstan.timeout_ms",
  memoryMb: "capstan.memory_mb",
  stackKb: "capstan.stack_kb",
} as const;

/** Defaults when the config keys are absent. */
export const engineDefaults = { timeoutMs: 30000, memoryMb: 512, stackKb: 128 } as const;
