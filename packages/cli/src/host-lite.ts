// The part of @capstan/host that running and listing plugins needs (discovery, settings,
// invokers). Commands import this lazily instead of the whole host, so a plugin call never
// loads install/package code (tar, semver, signing).
export {
  BUILTIN_PROTOCOLS,
  defaultKeyringPath,
  describePluginProvenance,
  discoverPlugins,
  findPlugin,
  getUrl,
  installRecordFor,
  invokeCli,
  invokePostrenderers,
  normalizePluginType,
  pickPlugin,
  pluginHasType,
  provenanceStatus,
  readInstallInfo,
  resolveSettings,
  schemeOf,
  settingsEnv,
} from "@capstan/host";
