// Host settings and the environment plugins see. Subprocess plugins get the variables Helm
// sets (HELM_PLUGIN_NAME, HELM_PLUGIN_DIR, HELM_BIN, HELM_PLUGINS, HELM_*_HOME, HELM_DEBUG,
// HELM_NAMESPACE, HELM_KUBECONTEXT ...), so Helm 3 plugins work unchanged.
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import { RuntimeError } from "./errors.js";

/** Everything about the host a plugin may learn: directories, kube flags, debug. */
export interface HostSettings {
  /** Executable plugins call back (HELM_BIN): the capstan bin; default `capstan`. */
  bin: string;
  /** Plugin directories in search order (HELM_PLUGINS, `:`-joined). */
  pluginPath: string[];
  /** HELM_DATA_HOME; default `$XDG_DATA_HOME/capstan` (`~/.local/share/capstan`). */
  dataHome: string;
  /** HELM_CONFIG_HOME; default `$XDG_CONFIG_HOME/capstan` (`~/.config/capstan`). */
  configHome: string;
  /** HELM_CACHE_HOME; default `$XDG_CACHE_HOME/capstan` (`~/.cache/capstan`). */
  cacheHome: string;
  /** HELM_DEBUG; default false. */
  debug: boolean;
  /** HELM_NAMESPACE; default `default`. */
  namespace: string;
  /** HELM_KUBECONTEXT; default empty. */
  kubeContext: string;
  /** KUBECONFIG when set. */
  kubeconfig?: string;
  /** Added plugin repositories (`capstan plugin repo add`); CAPSTAN_PLUGIN_REPOSITORY_CONFIG, default `<configHome>/plugin-repositories.yaml`. */
  pluginRepositoryConfig: string;
  /** Cached plugin repository indexes; CAPSTAN_PLUGIN_REPOSITORY_CACHE, default `<cacheHome>/plugin-repository`. */
  pluginRepositoryCache: string;
}

/** Splits a `:`-separated path list, dropping empty entries. */
export function splitPathList(list: string): string[] {
  return list.split(delimiter).filter((p) => p.length > 0);
}

/**
 * Settings from the environment: plugin path `$CAPSTAN_PLUGINS`, else `$HELM_PLUGINS`, else
 * `$XDG_DATA_HOME/capstan/plugins` (XDG default `~/.local/share`). `overrides` win.
 */
export function resolveSettings(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<HostSettings> = {},
): HostSettings {
  const home = env.HOME || homedir();
  const xdg = (name: string, fallback: string) => env[name] || join(home, fallback);
  const dataRoot = xdg("XDG_DATA_HOME", ".local/share");
  const listed = env.CAPSTAN_PLUGINS || env.HELM_PLUGINS;
  const debug = env.HELM_DEBUG ?? env.CAPSTAN_DEBUG;
  const settings: HostSettings = {
    bin: env.HELM_BIN || "capstan",
    pluginPath: listed ? splitPathList(listed) : [join(dataRoot, "capstan", "plugins")],
    dataHome: env.HELM_DATA_HOME || join(dataRoot, "capstan"),
    configHome: env.HELM_CONFIG_HOME || join(xdg("XDG_CONFIG_HOME", ".config"), "capstan"),
    cacheHome: env.HELM_CACHE_HOME || join(xdg("XDG_CACHE_HOME", ".cache"), "capstan"),
    debug: debug === "1" || debug === "true",
    namespace: env.HELM_NAMESPACE || "default",
    kubeContext: env.HELM_KUBECONTEXT || "",
    ...(env.KUBECONFIG ? { kubeconfig: env.KUBECONFIG } : {}),
    pluginRepositoryConfig: "",
    pluginRepositoryCache: "",
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) Object.assign(settings, { [k]: v });
  // Derived after the overrides, so a configHome/cacheHome override moves them too.
  settings.pluginRepositoryConfig ||=
    env.CAPSTAN_PLUGIN_REPOSITORY_CONFIG || join(settings.configHome, "plugin-repositories.yaml");
  settings.pluginRepositoryCache ||=
    env.CAPSTAN_PLUGIN_REPOSITORY_CACHE || join(settings.cacheHome, "plugin-repository");
  return settings;
}

/** The directory new plugins are installed into: the first entry of the plugin path. */
export function pluginHome(settings: HostSettings): string {
  const first = settings.pluginPath[0];
  if (first === undefined) {
    throw new RuntimeError(
      "empty-plugin-path",
      "the plugin path is empty ($CAPSTAN_PLUGINS / $HELM_PLUGINS name no directory)",
      {
        exitCode: ExitCode.usage,
        hint: "set CAPSTAN_PLUGINS to a directory (or unset it to use ~/.local/share/capstan/plugins)",
      },
    );
  }
  return first;
}

/** The HELM_* (and Capstan's plugin repository) variables describing the host (`capstan env` prints these). */
export function settingsEnv(settings: HostSettings): Record<string, string> {
  const vars: Record<string, string> = {
    CAPSTAN_PLUGIN_REPOSITORY_CACHE: settings.pluginRepositoryCache,
    CAPSTAN_PLUGIN_REPOSITORY_CONFIG: settings.pluginRepositoryConfig,
    HELM_BIN: settings.bin,
    HELM_CACHE_HOME: settings.cacheHome,
    HELM_CONFIG_HOME: settings.configHome,
    HELM_DATA_HOME: settings.dataHome,
    HELM_DEBUG: String(settings.debug),
    HELM_KUBECONTEXT: settings.kubeContext,
    HELM_NAMESPACE: settings.namespace,
    HELM_PLUGINS: settings.pluginPath.join(delimiter),
    HELM_REGISTRY_CONFIG: join(settings.configHome, "registry", "config.json"),
    HELM_REPOSITORY_CACHE: join(settings.cacheHome, "repository"),
    HELM_REPOSITORY_CONFIG: join(settings.configHome, "repositories.yaml"),
  };
  if (settings.kubeconfig) vars.KUBECONFIG = settings.kubeconfig;
  return vars;
}

/** Environment for one subprocess plugin: the parent's, the host settings and the plugin's own. */
export function pluginEnv(
  settings: HostSettings,
  plugin: { name: string; dir: string },
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) if (v !== undefined) env[k] = v;
  return { ...env, ...settingsEnv(settings), HELM_PLUGIN_NAME: plugin.name, HELM_PLUGIN_DIR: plugin.dir };
}
