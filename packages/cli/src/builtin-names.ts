// First words of the built-in commands (and their aliases): main.ts sends every other first
// word to the plugins. The CLI bundle replaces this module with the list computed at build
// time (scripts/bundle.mjs), so a plugin call does not load the command table.
import type { CommandSpec } from "./command.js";

/** Top-level words of `table`: `plugin`, `pull`, ... and single-word aliases. */
function namesOf(table: readonly CommandSpec[]): Set<string> {
  const names = new Set<string>();
  for (const spec of table) {
    const words = spec.name.split(" ");
    names.add(words[0]!);
    if (words.length === 1) for (const a of spec.aliases ?? []) names.add(a);
  }
  return names;
}

/** The built-in top-level command words. */
export async function builtinNames(): Promise<ReadonlySet<string>> {
  const { commandTable } = await import("./commands.js");
  return namesOf(commandTable);
}
