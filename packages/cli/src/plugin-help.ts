// The "Plugins:" section of `capstan --help`: installed cli plugins with their short help.
import { discoveryOptions } from "./settings.js";
import { formatTable } from "./table.js";

/** Help text listing installed cli plugins (empty when there are none). */
export async function pluginHelpText(env: NodeJS.ProcessEnv): Promise<string> {
  const { discoverPlugins, pluginHasType, resolveSettings } = await import("@capstan/host");
  const settings = resolveSettings(env);
  const discovery = await discoverPlugins(settings.pluginPath, discoveryOptions(settings));
  const cli = discovery.plugins.filter((p) => pluginHasType(p, "cli/v1"));
  const { shadowedByBuiltins } = await import("./plugin-warnings.js");
  const shadowed = new Set(await shadowedByBuiltins(cli));
  const lines: string[] = [];
  if (cli.length > 0) {
    const rows = cli.map((p) => [
      `  ${p.manifest.name}`,
      shadowed.has(p)
        ? "(shadowed by the built-in command of that name: rename the plugin to run it)"
        : (p.manifest.cli?.shortHelp ?? ""),
    ]);
    lines.push(
      "",
      "Plugins (capstan <plugin> [args]):",
      formatTable(["", ""], rows).split("\n").slice(1).join("\n").trimEnd(),
    );
  }
  if (discovery.problems.length > 0) {
    lines.push(
      "",
      `${discovery.problems.length} plugin(s) skipped (broken, shadowed or not a directory): run 'capstan plugin list' for details.`,
    );
  }
  return lines.join("\n");
}
