// Errors of the plugin runtimes. One class for every runtime failure so the CLI's single catch
// maps `exitCode`; `code` tells what went wrong (docs/security.md lists them).
import { CapstanError, ExitCode, type ExitCodeValue } from "@capstan/manifest";

/** Stable codes of runtime failures (`RuntimeError.code`). */
export type RuntimeErrorCode =
  | "plugin-error" // the plugin returned non-zero or set an error
  | "trap" // the Wasm code trapped (unreachable, out of bounds, stack overflow...)
  | "timeout" // the call ran past its time limit and was stopped
  | "memory" // a memory limit was hit (maxPages, maxVarBytes, kernel blocks)
  | "http-denied" // HTTP to a host outside allowedHosts (or no network granted)
  | "http-limit" // an HTTP response was larger than maxHttpResponseBytes
  | "http" // an allowed HTTP request failed (connection, DNS, protocol)
  | "link" // an import the host does not provide, or a bad module shape
  | "capability" // a host function the manifest does not grant
  | "entry" // the entry export is missing
  | "invalid-wasm" // plugin.wasm is unreadable or not valid Wasm
  | "config" // the sandbox policy cannot be applied (e.g. an allowedPaths directory is missing)
  | "closed"; // the runtime was closed

const exitCodes: Record<RuntimeErrorCode, ExitCodeValue> = {
  "plugin-error": ExitCode.plugin,
  trap: ExitCode.plugin,
  timeout: ExitCode.timeout,
  memory: ExitCode.sandbox,
  "http-denied": ExitCode.sandbox,
  "http-limit": ExitCode.sandbox,
  http: ExitCode.plugin,
  link: ExitCode.plugin,
  capability: ExitCode.sandbox,
  entry: ExitCode.plugin,
  "invalid-wasm": ExitCode.plugin,
  config: ExitCode.manifest,
  closed: ExitCode.failure,
};

/** A plugin failed to load or run; `code` is a RuntimeErrorCode, the exit code follows from it. */
export class RuntimeError extends CapstanError {
  declare readonly code: RuntimeErrorCode;
  constructor(
    code: RuntimeErrorCode,
    message: string,
    options: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {},
  ) {
    super(code, message, { exitCode: exitCodes[code], ...options });
  }
}
