// `capstan <cli-plugin> [args]`: finds the installed cli plugin and runs it. Global flags are
// taken out of the arguments wherever they are (Helm 3's manuallyProcessArgs); the rest goes
// to the plugin untouched. This module is loaded lazily by main.ts, so its static imports
// (discovery, the cli invoker) are exactly what a plugin call loads.
import { findPlugin, invokeCli } from "@capstan/host";
import { CapstanError, ExitCode, isCapstanError, type LoadedPlugin } from "@capstan/manifest";
import { splitGlobals } from "./globals.js";
import type { MainIo } from "./main.js";
import { printWarnings } from "./plugin-warnings.js";
import { discoveryOptions, settingsFor } from "./settings.js";

/**
 * Runs the cli plugin `name` with `argv` (global flags still inside); returns its exit code.
 * `strict`: `capstan --strict <plugin>` (unknown runtimeConfig keys make the plugin fail to load).
 * `help`: print the plugin's help instead (`capstan help <plugin>`); so does `-h`/`--help` for a
 * plugin with ignoreFlags, which would never see the flag.
 */
export async function runPluginCommand(
  name: string,
  argv: string[],
  io: MainIo,
  opts: { strict?: boolean; help?: boolean } = {},
): Promise<number> {
  const { globals, rest } = splitGlobals(argv, io.env);
  if (opts.strict) globals.strict = true;
  const settings = await settingsFor({ env: io.env, bin: io.bin, globals });
  let plugin: LoadedPlugin;
  try {
    plugin = await findPlugin(settings.pluginPath, name, {
      type: "cli/v1",
      ...discoveryOptions(settings, globals),
    });
  } catch (e) {
    if (isCapstanError(e) && e.code === "plugin-not-found") {
      throw new CapstanError(
        "unknown-command",
        `unknown command "${name}" (no built-in command or cli plugin has that name)`,
        {
          exitCode: ExitCode.usage,
          hint: "run 'capstan --help' for commands, or 'capstan plugin list' for installed plugins",
        },
      );
    }
    throw e;
  }
  if (plugin.warnings.length > 0) printWarnings(plugin, io.stderr);
  if (opts.help || (plugin.manifest.cli?.ignoreFlags && rest.some((a) => a === "-h" || a === "--help"))) {
    const { pluginUsageText } = await import("./plugin-usage.js");
    io.stdout.write(pluginUsageText(plugin));
    return 0;
  }
  return invokeCli(plugin, rest, { settings, env: io.env });
}
