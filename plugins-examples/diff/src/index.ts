// The plugin entry: `capstan diff [flags] <before> <after>`. It reads the two files through the
// sandbox (allowedPaths mounts / read-only; PWD resolves relative paths), prints the diff on
// stdout and exits 0 (same) or 2 (different) through the cli output's exitCode (Capstan).
// Problems (usage, unreadable or invalid files) go to stderr with exit code 1.
import { defineCli } from "@capstan/pdk";
import { parseArgs, USAGE } from "./core/args.js";
import { diffSets } from "./core/diff-sets.js";
import { resolvePath } from "./core/paths.js";
import { parseManifestSet } from "./core/resources.js";

function run(extraArgs: string[]): number {
  const args = parseArgs(extraArgs);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const read = (p: string) => Capstan.readTextFile(resolvePath(process.cwd(), p));
  const before = parseManifestSet(read(args.before), args.before, args.namespace);
  const after = parseManifestSet(read(args.after), args.after, args.namespace);
  // No TTY detection inside Wasm: colour only when asked (flag, config or CLICOLOR_FORCE).
  const color =
    args.color ??
    (process.env.NO_COLOR ? false : Config.get("color") === "always" || process.env.CLICOLOR_FORCE === "1");
  const result = diffSets(before, after, { context: args.context, color, showSecrets: args.showSecrets });
  process.stdout.write(result.text);
  return result.differs ? 2 : 0;
}

export const helm_plugin_main = defineCli(({ extraArgs }) => {
  try {
    return run(extraArgs);
  } catch (e) {
    process.stderr.write(`diff: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
});
