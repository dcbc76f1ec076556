// The normalized plugin manifest every other package consumes. Legacy (Helm 3) and HIP-0026
// draft manifests are converted to this one shape, defaults applied, so consumers never look
// at raw YAML. docs/plugin-yaml.md is the reference for every field.

/** Plugin types after normalization (HIP-0026 draft names map onto these). */
export type PluginType = "cli/v1" | "getter/v1" | "postrenderer/v1";
/** Runtimes a plugin can declare. */
export type RuntimeName = "extism/v1" | "subprocess";
/** `legacy` is a Helm 3 plugin.yaml (apiVersion absent or empty). */
export type ManifestApiVersion = "v1" | "legacy";

/** Config of a cli/v1 plugin, defaults applied. */
export interface CliConfig {
  /** One-line usage; default: the plugin name. */
  usage: string;
  /** Short help; default: `the "<name>" plugin`. Legacy `usage` maps here. */
  shortHelp: string;
  /** Long help; default "". Legacy `description` maps here. */
  longHelp: string;
  /** Pass all arguments through untouched (no Helm flag parsing); default false. */
  ignoreFlags: boolean;
}

/** Config of a getter/v1 plugin. */
export interface GetterConfig {
  /** URL schemes this plugin fetches (non-empty, each non-empty). */
  protocols: string[];
}

/** A command for one platform. `$VAR`/`${VAR}` in command and args are expanded at run time. */
export interface PlatformCommand {
  /** GOOS-style OS name (`linux`, `darwin`, `windows`); absent matches any. */
  os?: string;
  /** GOARCH-style arch name (`amd64`, `arm64`); absent matches any. */
  arch?: string;
  /** Program to run (a path or a name looked up in PATH). */
  command: string;
  /** Arguments before the user's extra arguments. */
  args: string[];
}

/** Platform commands per plugin lifecycle event. */
export interface PlatformHooks {
  install?: PlatformCommand[];
  update?: PlatformCommand[];
  delete?: PlatformCommand[];
}

/** Getter commands of a subprocess plugin, per protocol set. */
export interface ProtocolCommand {
  /** URL schemes served by these commands. */
  protocols: string[];
  /** Commands to run (legacy getters: `<command> certFile keyFile caFile href`). */
  platformCommand: PlatformCommand[];
}

/** runtimeConfig of a subprocess plugin, with Helm 4.0 and legacy `command`/`hooks` folded in. */
export interface SubprocessRuntimeConfig {
  /** Main commands (platform-matched: os+arch, os, arch, neither). Empty for getter-only plugins. */
  platformCommand: PlatformCommand[];
  /** Lifecycle hooks. String hooks become `{command: "sh", args: ["-c", hook]}`. */
  platformHooks: PlatformHooks;
  /** Getter commands (getter/v1). */
  protocolCommands: ProtocolCommand[];
}

/** A host directory made visible inside the Wasm sandbox (Capstan extension). */
export interface AllowedPath {
  /** Absolute path inside the guest. */
  guestPath: string;
  /** False unless the manifest value ends in `:rw`. */
  writable: boolean;
}

/** runtimeConfig of an extism/v1 plugin, defaults applied. */
export interface ExtismRuntimeConfig {
  /** Export to call; default `helm_plugin_main`. */
  entryFuncName: string;
  /** Memory limits; absent fields mean the runtime default. */
  memory: { maxPages?: number; maxHttpResponseBytes?: number; maxVarBytes?: number };
  /** String config visible to the plugin through `Config.get`; default {}. */
  config: Record<string, string>;
  /** Host globs the plugin may reach over HTTP; undefined means no network at all. */
  allowedHosts: string[] | undefined;
  /** Filesystem options; default `{createTempDir: false}`. */
  fileSystem: { createTempDir: boolean };
  /** Milliseconds for one call; undefined means no limit set by the manifest. */
  timeout: number | undefined;
  /** Host functions the plugin imports (module `extism:host/user`); default []. */
  hostFunctions: string[];
  /** Capstan extension: host path -> guest mount. Relative host paths are resolved against the plugin dir by loadManifest. Default {}. */
  allowedPaths: Record<string, AllowedPath>;
  /** Capstan extension: names of host environment variables passed to the plugin; default []. */
  env: string[];
}

/** A validated, normalized plugin.yaml. */
export interface PluginManifest {
  apiVersion: ManifestApiVersion;
  name: string;
  version: string;
  type: PluginType;
  runtime: RuntimeName;
  sourceURL?: string;
  /** Present for cli/v1, and for legacy getters that also declare a `command`. */
  cli?: CliConfig;
  /** Present for getter/v1. */
  getter?: GetterConfig;
  /** Present when runtime is extism/v1. */
  extism?: ExtismRuntimeConfig;
  /** Present when runtime is subprocess. */
  subprocess?: SubprocessRuntimeConfig;
  /** Legacy `usage` as written (list output). */
  usage?: string;
  /** Legacy `description` as written. */
  description?: string;
  /** The type name as written when it was a HIP-0026 draft name. */
  declaredType?: string;
  /** The parsed YAML as a plain object. */
  raw: Record<string, unknown>;
}

/** Something wrong but tolerated in a manifest (e.g. an unknown runtimeConfig key). */
export interface ManifestWarning {
  /** Stable code, e.g. `unknown-runtime-config-key`. */
  code: string;
  /** `file:line:col: key: what` */
  message: string;
  file: string;
  line: number;
  column: number;
  /** Dotted key path, e.g. `runtimeConfig.maxMemory`. */
  key: string;
  /** What to do about it. */
  hint?: string;
}

/** Options for parseManifest / loadManifest. */
export interface ManifestOptions {
  /** Turn warnings (unknown runtimeConfig keys) into errors (`--strict`). */
  strict?: boolean;
}

/** Result of parseManifest. */
export interface ParsedManifest {
  manifest: PluginManifest;
  warnings: ManifestWarning[];
}

/** A plugin directory with its validated manifest. */
export interface LoadedPlugin {
  /** Absolute plugin directory. */
  dir: string;
  /** Absolute path of plugin.yaml. */
  file: string;
  manifest: PluginManifest;
  warnings: ManifestWarning[];
}
