// The light built-in commands (`version`, `env`, `plugin list`) run straight from the entry
// bundle when their arguments are plain: no commander and no ES module commands bundle, whose
// loading (node's ESM loader, 120 kB not in the code cache) costs more than the command.
// Anything else (help, `--`, an unknown or repeated flag, a flag form not handled here) goes
// to commander (program.ts), so behaviour and error messages stay commander's.
import type { CommandSpec, GlobalOptions } from "./command.js";
import { envCommand } from "./commands/env.js";
import { pluginListCommand } from "./commands/plugin/list.js";
import { versionCommand } from "./commands/version.js";
import type { MainIo } from "./main.js";

/** Global flags that take a value, by the GlobalOptions field they set. */
const globalValued: Record<string, "namespace" | "kubeContext" | "kubeconfig"> = {
  "-n": "namespace",
  "--namespace": "namespace",
  "--kube-context": "kubeContext",
  "--kubeconfig": "kubeconfig",
};

/** Command words -> spec and its options that take a value (long flag -> opts key). */
const light: Record<string, { spec: CommandSpec; options: Record<string, string> }> = {
  version: { spec: versionCommand, options: {} },
  env: { spec: envCommand, options: {} },
  "plugin list": { spec: pluginListCommand, options: { "--type": "type", "--keyring": "keyring" } },
  "plugin ls": { spec: pluginListCommand, options: { "--type": "type", "--keyring": "keyring" } },
};

/** Splits `--flag=value` / `--flag value` at `i`; undefined when the value is missing or looks like a flag. */
function valueAt(
  argv: readonly string[],
  i: number,
  eq: number,
): { value: string; next: number } | undefined {
  const value = eq > 0 ? argv[i]!.slice(eq + 1) : argv[i + 1];
  if (value === undefined || value === "" || (eq < 0 && value.startsWith("-"))) return undefined;
  return { value, next: eq > 0 ? i : i + 1 };
}

/**
 * Runs `argv` if it is a light built-in in a plain form: global flags before the command
 * words, the command's own `--opt value` / `--opt=value` after them, each at most once.
 * Resolves to the exit code, or undefined when commander should handle `argv`.
 */
export async function runLightBuiltin(
  argv: readonly string[],
  io: MainIo,
  setDebug: (d: boolean) => void,
): Promise<number | undefined> {
  const globals: GlobalOptions = { debug: false, strict: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("-")) break;
    if (a === "--debug") globals.debug = true;
    else if (a === "--strict") globals.strict = true;
    else {
      const eq = a.startsWith("--") ? a.indexOf("=") : -1;
      const field = globalValued[eq > 0 ? a.slice(0, eq) : a];
      const hit = field && globals[field] === undefined ? valueAt(argv, i, eq) : undefined;
      if (!field || !hit) return undefined;
      globals[field] = hit.value;
      i = hit.next;
    }
  }
  const one = argv[i];
  const two = `${one} ${argv[i + 1]}`;
  const entry = light[two] ?? (one === "plugin" ? undefined : light[one ?? ""]);
  if (!entry) return undefined;
  const opts: Record<string, unknown> = {};
  for (i += entry === light[two] ? 2 : 1; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf("=");
    const key = entry.options[eq > 0 ? a.slice(0, eq) : a];
    const hit = key !== undefined && !(key in opts) ? valueAt(argv, i, eq) : undefined;
    if (key === undefined || !hit) return undefined;
    opts[key] = hit.value;
    i = hit.next;
  }
  // As in program.ts: the command's globals.debug is the flag alone.
  setDebug(globals.debug);
  return (await entry.spec.run([], opts, { ...io, globals, afterDashes: [] })) ?? 0;
}
