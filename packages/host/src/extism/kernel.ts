// Facts about the Extism kernel ABI that the main thread needs (link checks, log levels); the
// kernel itself lives in core.ts so that it can also run inside a worker.
export type { KernelHttpRequest, KernelHttpResponse, KernelOptions, LogLevel } from "./core.js";

import type { LogLevel } from "./core.js";

/** Log levels of the ABI, in priority order (trace 0 .. error 4). */
export const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error"];
/** Threshold meaning "show nothing". */
export const LOG_OFF = 0x7fffffff;

/** Names of every function the kernel provides (for link checks). */
export const KERNEL_FUNCTIONS = [
  "input_length",
  "input_load_u8",
  "input_load_u64",
  "input_offset",
  "alloc",
  "free",
  "length",
  "length_unsafe",
  "load_u8",
  "load_u64",
  "store_u8",
  "store_u64",
  "output_set",
  "error_set",
  "error_get",
  "config_get",
  "var_get",
  "var_set",
  "http_request",
  "http_status_code",
  "http_headers",
  "log_trace",
  "log_debug",
  "log_info",
  "log_warn",
  "log_error",
  "get_log_level",
] as const;
