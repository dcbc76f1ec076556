// `capstan __complete <words...>` (hidden; called by the scripts of `capstan completion`):
// prints the candidates for the last word, one `candidate<TAB>description` line each. It runs
// from the entry bundle with the command table baked in at build time (completion-table.ts):
// a TAB press costs about a `capstan version`. It never fails loudly: a broken plugin home
// yields no plugin names, and nothing goes to stderr while the user types.
import type { MainIo } from "../main.js";
import { discoveryOptions, settingsFor } from "../settings.js";
import { type CompletionPlugin, complete } from "./complete.js";
import { completionTable } from "./completion-table.js";

const types = ["cli/v1", "getter/v1", "postrenderer/v1"] as const;

/** Prints the completions of `words` to io.stdout; resolves to 0. */
export async function runComplete(words: readonly string[], io: MainIo): Promise<number> {
  const { terminalText } = await import("@capstan/manifest");
  let plugins: CompletionPlugin[] = [];
  try {
    const { discoverPlugins, pluginHasType } = await import("@capstan/host");
    const settings = await settingsFor({ env: io.env, bin: io.bin, globals: { debug: false } });
    const discovery = await discoverPlugins(settings.pluginPath, discoveryOptions(settings));
    plugins = discovery.plugins.map((p) => ({
      name: p.manifest.name,
      types: types.filter((t) => pluginHasType(p, t)),
      summary: p.manifest.cli?.shortHelp ?? p.manifest.type,
    }));
  } catch {
    // no plugin home, or an unreadable one: complete the built-in commands alone
  }
  const line = (s: string) => terminalText(s).replace(/[\t\n]/g, " ");
  const out = complete(words.length === 0 ? [""] : words, plugins, await completionTable())
    .map(([c, d]) => (d ? `${line(c)}\t${line(d)}` : line(c)))
    .join("\n");
  io.stdout.write(out ? `${out}\n` : "");
  return 0;
}
