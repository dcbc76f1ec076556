// Discovery problems and manifest warnings, printed to stderr as `warning:` lines (escaped:
// they quote plugin.yaml text).
import type { Writable } from "node:stream";
import type { Discovery } from "@capstan/host";
import { type LoadedPlugin, terminalText } from "@capstan/manifest";
import { builtinNames } from "./builtin-names.js";

/** Prints one line per broken or shadowed plugin. */
export function printProblems(discovery: Discovery, stderr: Writable): void {
  for (const p of discovery.problems) {
    const line = p.kind === "broken" ? `skipped broken plugin ${p.dir}: ${p.message}` : p.message;
    stderr.write(`warning: ${terminalText(line)}\n`);
  }
}

/** Prints the manifest warnings of a plugin about to run. */
export function printWarnings(plugin: LoadedPlugin, stderr: Writable): void {
  for (const w of plugin.warnings) stderr.write(`warning: ${terminalText(w.message)}\n`);
}

/**
 * The cli plugins whose name is a built-in command word: `capstan <name>` runs the built-in,
 * never the plugin (built-ins win, as in Helm).
 */
export async function shadowedByBuiltins(plugins: readonly LoadedPlugin[]): Promise<LoadedPlugin[]> {
  const names = await builtinNames();
  return plugins.filter(
    (p) =>
      (p.manifest.type === "cli/v1" || p.manifest.cli !== undefined) &&
      (names.has(p.manifest.name) || p.manifest.name === "help"),
  );
}

/** Prints a warning and a hint per cli plugin that a built-in command shadows. */
export async function printShadowed(plugins: readonly LoadedPlugin[], stderr: Writable): Promise<void> {
  for (const p of await shadowedByBuiltins(plugins)) {
    const name = p.manifest.name;
    stderr.write(
      terminalText(
        `warning: plugin "${name}" (${p.dir}) is shadowed by the built-in command "${name}": 'capstan ${name}' runs the built-in, never the plugin\n` +
          `hint: rename the plugin (name: in ${p.file}) to run it as a command\n`,
      ),
    );
  }
}
