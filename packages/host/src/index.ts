// @capstan/host: running plugins: discovery, runtimes (extism/v1, subprocess), type invokers, sandbox,
// host functions, and reading what is installed (install records, provenance). Getting plugins
// (install, package, push, OCI) is @capstan/distribution.
export const packageName = "@capstan/host";
export type { Discovery, DiscoveryOptions, DiscoveryProblem } from "./discovery.js";
export { discoverPlugins, findPlugin, normalizePluginType, pickPlugin, pluginHasType } from "./discovery.js";
export type { DiscoveryCacheOptions } from "./discovery-cache.js";
export type { RuntimeErrorCode } from "./errors.js";
export { RuntimeError } from "./errors.js";
export { stopHttpWorker } from "./extism/http-bridge.js";
export type { LogLevel } from "./extism/kernel.js";
export type { ExtismPolicy, ExtismPolicyInput, SandboxPath, StdioPolicy } from "./extism/policy.js";
export { DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS, resolvePolicy } from "./extism/policy.js";
export type { HostSettings } from "./helm-env.js";
export { pluginEnv, pluginHome, resolveSettings, settingsEnv, splitPathList } from "./helm-env.js";
export type {
  CustomHostFunction,
  HostFunctionSpec,
  HostResult,
  HostValue,
  HostValueType,
} from "./host-functions/define-host-function.js";
export { defineHostFunction } from "./host-functions/define-host-function.js";
export type { HostFunction, HostFunctionContext } from "./host-functions/host-function.js";
export { findHostFunction, hostFunctionRegistry } from "./host-functions/registry.js";
export type {
  InstallRecord,
  ProvenanceRecord,
  RepositoryRecord,
  SourceKind,
} from "./installed/install-record.js";
export {
  installRecordFor,
  RECORD_FILE,
  RECORD_PROV_FILE,
  readInstallRecord,
} from "./installed/install-record.js";
export { defaultKeyringPath } from "./installed/keyring-path.js";
export { missingPluginWasm, PLUGIN_WASM_FILE, PLUGIN_WASM_HINT } from "./installed/plugin-wasm.js";
export type { PluginProvenance, ProvenanceStatusOptions } from "./installed/provenance-status.js";
export { describePluginProvenance, provenanceStatus } from "./installed/provenance-status.js";
export { BUILTIN_PROTOCOLS, httpGet } from "./invokers/getter-http.js";
export type { GetterOptions } from "./invokers/getter-options.js";
export { getterOptions } from "./invokers/getter-options.js";
export { invokeCli } from "./invokers/invoke-cli.js";
export { findGetter, getUrl, invokeGetter, schemeOf } from "./invokers/invoke-getter.js";
export type { InvokeOptions } from "./invokers/invoke-options.js";
export { invokePostrenderer, invokePostrenderers } from "./invokers/invoke-postrenderers.js";
export { expandEnv, goarch, goos, selectPlatformCommand } from "./platform.js";
export type { ExtismCallOptions, ExtismOpenOptions } from "./runtime-extism.js";
export { ExtismRuntime, openExtismModule, policyFromManifest } from "./runtime-extism.js";
export type {
  HookEvent,
  PreparedCommand,
  RunOptions,
  RunResult,
  StreamMode,
  SubprocessRuntimeOptions,
} from "./runtime-subprocess.js";
export {
  prepareCommand,
  resolveInPluginDir,
  runHook,
  runProcess,
  SubprocessRuntime,
} from "./runtime-subprocess.js";
