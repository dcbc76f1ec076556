// What completion needs from the command table: names, aliases, arguments, option flags and
// one-line help. The CLI bundle replaces this module with the table computed at build time
// (scripts/bundle.mjs, as for builtin-names.ts), so a TAB press runs from the entry bundle
// without loading the command modules or node's ES module loader.
import type { OptionSpec } from "../command.js";

/** One command as completion sees it. */
export interface CompletionCommand {
  name: string;
  args?: string;
  summary: string;
  aliases?: string[];
  options: Pick<OptionSpec, "flags" | "description">[];
}

/** The commands and the help lines of command groups. */
export interface CompletionTable {
  commands: CompletionCommand[];
  groups: Record<string, string>;
}

/** The table, read off commands.ts. */
export async function completionTable(): Promise<CompletionTable> {
  const { commandGroups, commandTable } = await import("../commands.js");
  return {
    commands: commandTable.map((s) => ({
      name: s.name,
      ...(s.args === undefined ? {} : { args: s.args }),
      summary: s.summary,
      ...(s.aliases === undefined ? {} : { aliases: s.aliases }),
      options: (s.options ?? []).map((o) => ({ flags: o.flags, description: o.description })),
    })),
    groups: { ...commandGroups },
  };
}
