// The help of one cli plugin (`capstan help <plugin>`, `capstan <plugin> --help` when the
// plugin ignores flags): its usage line, shortHelp and longHelp from plugin.yaml, escaped,
// since the plugin's author wrote them (manifest's terminalText).
import { type LoadedPlugin, terminalText } from "@capstan/manifest";

/** The help text of cli plugin `plugin`, ending in a newline. */
export function pluginUsageText(plugin: LoadedPlugin): string {
  const m = plugin.manifest;
  const cli = m.cli;
  const usage = cli?.usage.trim() || m.name;
  // `usage` is the command line after `capstan`: a usage that does not start with the name gets it.
  const line = usage === m.name || usage.startsWith(`${m.name} `) ? usage : `${m.name} ${usage}`;
  const parts = [`Usage: capstan ${line}`];
  const short = cli?.shortHelp.trim();
  if (short) parts.push(short);
  const long = cli?.longHelp.trim();
  if (long) parts.push(long);
  if (cli?.ignoreFlags) parts.push("This plugin ignores flags and arguments (ignoreFlags: true).");
  parts.push(`Plugin ${m.name} ${m.version} (${m.type}, ${m.runtime}) in ${plugin.dir}`);
  return `${terminalText(parts.join("\n\n"))}\n`;
}
