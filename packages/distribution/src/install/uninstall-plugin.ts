// `capstan plugin uninstall`: runs the delete hook (subprocess plugins) while the plugin is
// still in place, then removes the directory atomically. A failing delete hook keeps the
// plugin installed, as Helm does.

import { lstatSync } from "node:fs";
import { type HostSettings, pluginHome, resolveSettings, runHook, type StreamMode } from "@capstan/host";
import { ExitCode, loadManifest } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import { withInstallLock } from "./install-lock.js";
import { pluginPathIn, recoverHome, removeFromHome } from "./plugin-store.js";

/** Options of uninstall. */
export interface UninstallOptions {
  settings?: HostSettings;
  env?: NodeJS.ProcessEnv;
  /** Run the delete hook (default true). */
  hooks?: boolean;
  hookOutput?: StreamMode;
}

/** Removes `<home>/<name>`; resolves to whether a delete hook ran. */
export async function uninstallPlugin(
  name: string,
  options: UninstallOptions = {},
): Promise<{ name: string; dir: string; hookRan: boolean }> {
  const settings = options.settings ?? resolveSettings(options.env ?? process.env);
  const home = pluginHome(settings);
  const dir = pluginPathIn(home, name);
  return withInstallLock(home, async () => {
    recoverHome(home);
    try {
      lstatSync(dir);
    } catch {
      throw new InstallError("PLUGIN_NOT_INSTALLED", `plugin ${name} is not installed in ${home}`, {
        hint: "see installed plugins with `capstan plugin list`",
        exitCode: ExitCode.notFound,
      });
    }
    let hookRan = false;
    const loaded = await loadManifest(dir).catch(() => undefined);
    // A broken plugin (unloadable plugin.yaml) can still be removed; it has no usable hook.
    if (loaded && (options.hooks ?? true)) {
      const io = options.hookOutput ?? "inherit";
      hookRan = await runHook(loaded, "delete", {
        settings,
        stdout: io,
        stderr: io,
        ...(options.env ? { env: options.env } : {}),
      });
    }
    removeFromHome(home, name);
    return { name, dir, hookRan };
  });
}
