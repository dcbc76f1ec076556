// @capstan/manifest: plugin.yaml and message schemas (the single source), types, validation.

export type { CliInput } from "../generated/cli.v1.input.js";
export type { CliOutput } from "../generated/cli.v1.output.js";
export type { GetterInput } from "../generated/getter.v1.input.js";
export type { GetterOutput } from "../generated/getter.v1.output.js";
export type { PluginYamlLegacy } from "../generated/plugin.legacy.js";
export type { PluginYamlV1 } from "../generated/plugin.v1.js";
export type { PostrendererInput } from "../generated/postrenderer.v1.input.js";
export type { PostrendererOutput } from "../generated/postrenderer.v1.output.js";
export type { ExitCodeValue } from "./errors.js";
export { CapstanError, ExitCode, isCapstanError } from "./errors.js";
export { MAX_TIMEOUT_MS } from "./extism-config.js";
export { loadManifest, MAX_MANIFEST_BYTES } from "./load-manifest.js";
export type { ManifestErrorLocation } from "./manifest-error.js";
export { formatLocated, ManifestError } from "./manifest-error.js";
export { parseManifest } from "./parse-manifest.js";
export type { JsonSchema, MessageName } from "./schemas.js";
export {
  legacyPluginSchema,
  messageNames,
  messageSchemaFile,
  messageSchemas,
  pluginSchema,
} from "./schemas.js";
export { isStrictSemver } from "./semver.js";
export { terminalText } from "./terminal-text.js";
export type {
  AllowedPath,
  CliConfig,
  ExtismRuntimeConfig,
  GetterConfig,
  LoadedPlugin,
  ManifestApiVersion,
  ManifestOptions,
  ManifestWarning,
  ParsedManifest,
  PlatformCommand,
  PlatformHooks,
  PluginManifest,
  PluginType,
  ProtocolCommand,
  RuntimeName,
  SubprocessRuntimeConfig,
} from "./types.js";
export type { MessageTypes } from "./validate-message.js";
export { validateMessage } from "./validate-message.js";
/** The package name (smoke test). */
export const packageName = "@capstan/manifest";
