// @capstan/host: discovery, runtimes (extism/v1, subprocess), type invokers, sandbox, host functions, install/package/push.
export const packageName = "@capstan/host";
export type { ArchiveMember } from "./archive/extract.js";
export { extractArchive, readArchive } from "./archive/extract.js";
export type { ArchiveLimits } from "./archive/limits.js";
export { archiveLimits } from "./archive/limits.js";
export type { TarEntry } from "./archive/tar-writer.js";
export { writeTar } from "./archive/tar-writer.js";
export type { Discovery, DiscoveryOptions, DiscoveryProblem } from "./discovery.js";
export { discoverPlugins, findPlugin, normalizePluginType, pickPlugin, pluginHasType } from "./discovery.js";
export type { DiscoveryCacheOptions } from "./discovery-cache.js";
export type { InstallInfo } from "./discovery-install-info.js";
export { INSTALL_INFO_FILE, readInstallInfo } from "./discovery-install-info.js";
export { stopHttpWorker } from "./extism/http-bridge.js";
export type { LogLevel } from "./extism/kernel.js";
export type { ExtismPolicy, ExtismPolicyInput, SandboxPath, StdioPolicy } from "./extism/policy.js";
export { DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS, resolvePolicy } from "./extism/policy.js";
export type { RuntimeErrorCode } from "./extism/runtime-error.js";
export { RuntimeError } from "./extism/runtime-error.js";
export type { HostSettings } from "./helm-env.js";
export { pluginEnv, pluginHome, resolveSettings, settingsEnv, splitPathList } from "./helm-env.js";
export type { HostFunction, HostFunctionContext } from "./host-functions/host-function.js";
export { findHostFunction, hostFunctionRegistry } from "./host-functions/registry.js";
export { InstallError } from "./install/install-error.js";
export { withInstallLock } from "./install/install-lock.js";
export type { InstallOptions, InstallResult, UpdateOptions, UpdateResult } from "./install/install-plugin.js";
export { installPlugin, updatePlugin } from "./install/install-plugin.js";
export type { InstallRecord, ProvenanceRecord } from "./install/install-record.js";
export {
  installRecordFor,
  RECORD_FILE,
  RECORD_PROV_FILE,
  readInstallRecord,
} from "./install/install-record.js";
export { defaultKeyringPath } from "./install/keyring-path.js";
export type { PluginProvenance } from "./install/provenance-status.js";
export { describePluginProvenance, provenanceStatus } from "./install/provenance-status.js";
export type { UninstallOptions } from "./install/uninstall-plugin.js";
export { uninstallPlugin } from "./install/uninstall-plugin.js";
export { BUILTIN_PROTOCOLS, httpGet } from "./invokers/getter-http.js";
export type { GetterOptions } from "./invokers/getter-options.js";
export { getterOptions } from "./invokers/getter-options.js";
export { invokeCli } from "./invokers/invoke-cli.js";
export { findGetter, getUrl, invokeGetter, schemeOf } from "./invokers/invoke-getter.js";
export type { InvokeOptions } from "./invokers/invoke-options.js";
export { invokePostrenderer, invokePostrenderers } from "./invokers/invoke-postrenderers.js";
export type { OciClientOptions, OciDescriptor, OciManifest } from "./oci/oci-client.js";
export { OciClient } from "./oci/oci-client.js";
export { PLUGIN_ARTIFACT_TYPE } from "./oci/oci-media-types.js";
export type { OciReference } from "./oci/oci-reference.js";
export { parseOciReference } from "./oci/oci-reference.js";
export type { PluginArchive } from "./package/package-plugin.js";
export { buildPluginArchive, packagePlugin } from "./package/package-plugin.js";
export { expandEnv, goarch, goos, selectPlatformCommand } from "./platform.js";
export type { PushResult } from "./push/push-plugin.js";
export { pushPlugin } from "./push/push-plugin.js";
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
export type { SourceKind } from "./sources/fetched.js";
export { sourceKind } from "./sources/source-kind.js";
