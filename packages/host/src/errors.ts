// The errors of @capstan/host: one class for every failure of running plugins (discovery,
// invokers, runtimes, the sandbox) so the CLI's single catch maps `exitCode`; `code` tells what
// went wrong, from one union of kebab-case codes (docs/security.md lists the sandbox ones).
import { CapstanError, ExitCode, type ExitCodeValue } from "@capstan/manifest";

/** Stable codes of host failures (`RuntimeError.code`). */
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
  | "host-function" // an embedder's host function is malformed, clashes, or failed while running
  | "entry" // the entry export is missing
  | "invalid-wasm" // plugin.wasm is unreadable or not valid Wasm
  | "config" // the sandbox policy cannot be applied (e.g. an allowedPaths directory is missing)
  | "closed" // the runtime was closed
  | "empty-plugin-path" // $CAPSTAN_PLUGINS / $HELM_PLUGINS name no directory
  | "plugin-not-found" // no installed plugin has that name
  | "wrong-plugin-type" // the plugin exists but is not of the type asked for
  | "bad-url" // a getter URL without a scheme, or one the URL parser rejects
  | "no-getter" // no getter plugin serves the URL's scheme
  | "tls-file" // a certificate/key/CA file of the built-in https getter is unreadable
  | "tls-options" // a client certificate without its key (or the reverse)
  | "tls"; // the server's certificate is not trusted

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
  "host-function": ExitCode.failure,
  entry: ExitCode.plugin,
  "invalid-wasm": ExitCode.plugin,
  config: ExitCode.manifest,
  closed: ExitCode.failure,
  "empty-plugin-path": ExitCode.usage,
  "plugin-not-found": ExitCode.notFound,
  "wrong-plugin-type": ExitCode.usage,
  "bad-url": ExitCode.usage,
  "no-getter": ExitCode.notFound,
  "tls-file": ExitCode.failure,
  "tls-options": ExitCode.usage,
  tls: ExitCode.verification,
};

/** Running a plugin failed (or finding it); `code` is a RuntimeErrorCode, the exit code follows from it unless given. */
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
