// @capstan/manifest: plugin.yaml and message schemas (the single source), types, validation.
export { CapstanError, ExitCode, isCapstanError } from "./errors.js";
export type { ExitCodeValue } from "./errors.js";
export const packageName = "@capstan/manifest";
