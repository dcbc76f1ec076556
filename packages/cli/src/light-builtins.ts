// The light built-in commands (`version`, `env`, `plugin list`, and `postrender` and `pull`,
// which run plugins) run straight from the entry bundle when their arguments are plain: no
// commander and no ES module commands bundle, whose loading (node's ESM loader, 120 kB not in
// the code cache) costs more than the command (or, for postrender, as much as a small plugin).
// Anything else (help, an unknown or repeated flag, a flag form not handled here, a missing
// argument) goes to commander (program.ts), so behaviour and error messages stay commander's.
import type { CommandSpec, GlobalOptions } from "./command.js";
import { envCommand } from "./commands/env.js";
import { pluginListCommand } from "./commands/plugin/list.js";
import { postrenderCommand } from "./commands/postrender.js";
import { pullCommand } from "./commands/pull.js";
import { versionCommand } from "./commands/version.js";
import type { MainIo } from "./main.js";

/** Global flags that take a value, by the GlobalOptions field they set. */
const globalValued: Record<string, "namespace" | "kubeContext" | "kubeconfig"> = {
  "-n": "namespace",
  "--namespace": "namespace",
  "--kube-context": "kubeContext",
  "--kubeconfig": "kubeconfig",
};

/** Command words -> spec. */
const light: Record<string, CommandSpec> = {
  version: versionCommand,
  env: envCommand,
  "plugin list": pluginListCommand,
  "plugin ls": pluginListCommand,
  postrender: postrenderCommand,
  pull: pullCommand,
};

/** One option of a spec as parsed here: its opts key, and whether it takes a value. */
interface Flag {
  key: string;
  valued: boolean;
  repeatable: boolean;
}

/**
 * The spec's options by spelling (`-d` and `--destination`), in the forms parsed here:
 * `--long <value>` (with an optional short alias) and boolean `--long`. Optional values
 * (`[value]`) and `--no-x` are left out, so commander handles them.
 */
function flagsOf(spec: CommandSpec): Map<string, Flag> {
  const map = new Map<string, Flag>();
  for (const o of spec.options ?? []) {
    const m = /^(?:(-\w), )?--([a-z][\w-]*)(?: <[^>]+>)?$/.exec(o.flags);
    if (!m || m[2]!.startsWith("no-")) continue;
    const flag = {
      key: m[2]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
      valued: o.flags.endsWith(">"),
      repeatable: o.repeatable === true,
    };
    map.set(`--${m[2]}`, flag);
    if (m[1]) map.set(m[1], flag);
  }
  return map;
}

/** Positional arguments of a spec (`<href>`, `<plugin...>`): how many are required, and variadic. */
function positionalsOf(spec: CommandSpec): { required: number; max: number } | undefined {
  const words = (spec.args ?? "").split(" ").filter(Boolean);
  if (words.some((w) => !w.startsWith("<"))) return undefined; // optional arguments: commander
  const variadic = words.some((w) => w.endsWith("...>"));
  return { required: words.length, max: variadic ? Number.POSITIVE_INFINITY : words.length };
}

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
  const spec = light[two] ?? (one === "plugin" ? undefined : light[one ?? ""]);
  const positional = spec && positionalsOf(spec);
  if (!spec || !positional) return undefined;
  const flags = flagsOf(spec);
  const opts: Record<string, unknown> = {};
  const args: string[] = [];
  let afterDashes: string[] = [];
  for (i += spec === light[two] ? 2 : 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      afterDashes = argv.slice(i + 1);
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      args.push(a);
      continue;
    }
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = flags.get(eq > 0 ? a.slice(0, eq) : a);
    if (!flag || (!flag.repeatable && flag.key in opts)) return undefined;
    if (!flag.valued) {
      if (eq > 0) return undefined;
      opts[flag.key] = true;
      continue;
    }
    const hit = valueAt(argv, i, eq);
    if (!hit) return undefined;
    opts[flag.key] = flag.repeatable
      ? [...((opts[flag.key] as string[] | undefined) ?? []), hit.value]
      : hit.value;
    i = hit.next;
  }
  // As commander: arguments after -- are positional too (commands that forward them slice them off).
  args.push(...afterDashes);
  if (args.length < positional.required || args.length > positional.max) return undefined;
  if (afterDashes.length > 0 && positional.max !== Number.POSITIVE_INFINITY) return undefined;
  for (const o of spec.options ?? []) {
    const key = flags.get(o.flags.split(" ").find((w) => w.startsWith("--")) ?? "")?.key;
    if (key !== undefined && !(key in opts) && o.default !== undefined) opts[key] = o.default;
  }
  const values = positional.max === Number.POSITIVE_INFINITY ? [args] : args;
  // As in program.ts: the command's globals.debug is the flag alone.
  setDebug(globals.debug);
  // The context keeps io's getters (bin.ts): spreading io would create process.stdin & co.
  const ctx = Object.defineProperties({ globals, afterDashes }, Object.getOwnPropertyDescriptors(io));
  return (await spec.run(values, opts, ctx as typeof ctx & MainIo)) ?? 0;
}
