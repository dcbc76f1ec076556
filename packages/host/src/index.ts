// @capstan/host: discovery, runtimes (extism/v1, subprocess), type invokers, sandbox, host functions, install/package/push.
export const packageName = "@capstan/host";
export { pluginEnv, pluginHome, resolveSettings, settingsEnv, splitPathList } from "./helm-env.js";
export type { HostSettings } from "./helm-env.js";
export { archiveLimits } from "./archive/limits.js";
export type { ArchiveLimits } from "./archive/limits.js";
export { extractArchive, readArchive } from "./archive/extract.js";
export type { ArchiveMember } from "./archive/extract.js";
export { writeTar } from "./archive/tar-writer.js";
export type { TarEntry } from "./archive/tar-writer.js";
export { InstallError } from "./install/install-error.js";
export { withInstallLock } from "./install/install-lock.js";
export { buildPluginArchive, packagePlugin } from "./package/package-plugin.js";
export type { PluginArchive } from "./package/package-plugin.js";
export { discoverPlugins, findPlugin } from "./discovery.js";
export type { Discovery, DiscoveryProblem } from "./discovery.js";
export { INSTALL_INFO_FILE, readInstallInfo } from "./discovery-install-info.js";
export type { InstallInfo } from "./discovery-install-info.js";
export { expandEnv, goarch, goos, selectPlatformCommand } from "./platform.js";
export {
  prepareCommand,
  resolveInPluginDir,
  runHook,
  runProcess,
  SubprocessRuntime,
} from "./runtime-subprocess.js";
export type {
  HookEvent,
  PreparedCommand,
  RunOptions,
  RunResult,
  StreamMode,
  SubprocessRuntimeOptions,
} from "./runtime-subprocess.js";
