// @capstan/host: discovery, runtimes (extism/v1, subprocess), type invokers, sandbox, host functions, install/package/push.
export const packageName = "@capstan/host";
export { pluginEnv, pluginHome, resolveSettings, settingsEnv, splitPathList } from "./helm-env.js";
export type { HostSettings } from "./helm-env.js";
