// Shell completion: the candidates for the word being typed, from the command table (commands,
// aliases, flags), a few flag values and the installed plugins. The shell scripts of
// `capstan completion <shell>` (shell-scripts.ts) call `capstan __complete <words...>` with the
// words after `capstan`, the last one the word being typed ("" after a space), and offer what
// it prints: one `candidate<TAB>description` line each. No candidate: the shell completes file
// names (positional arguments are mostly paths and URLs).
import { listFormats } from "../commands/plugin/list.js";
import { valued as globalValued } from "../globals.js";
import type { CompletionCommand, CompletionTable } from "./completion-table.js";
import { completionShells } from "./shell-scripts.js";

/** An installed plugin as completion sees it. */
export interface CompletionPlugin {
  name: string;
  /** Its types, normalized (`cli/v1`, `getter/v1`, `postrenderer/v1`; a legacy plugin can have two). */
  types: readonly string[];
  /** One line for the description column (plugin.yaml text, escaped by the caller). */
  summary: string;
}

/** Positional arguments that are installed plugin names, by command (type: only that type). */
export const pluginArguments: Readonly<Record<string, { type?: string }>> = {
  "plugin uninstall": {},
  "plugin update": {},
  "plugin inspect": {},
  "plugin call": {},
  postrender: { type: "postrenderer/v1" },
  "helm3 post-renderer": { type: "postrenderer/v1" },
  "helm3 cli-plugin": { type: "cli/v1" },
  "helm4 post-renderer-plugin": { type: "postrenderer/v1" },
};

/** Values of flags with a fixed set, by command and long flag. */
export const flagValues: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  "plugin list": { "--output": listFormats, "--type": ["cli", "getter", "postrenderer"] },
  "plugin search": { "--type": ["cli", "getter", "postrenderer"] },
};

/** Global flags (Helm's), with their help line. */
const globalFlags: readonly (readonly [string, string])[] = [
  ["--debug", "print debug output and stack traces"],
  ["--strict", "unknown runtimeConfig keys in plugin.yaml are errors"],
  ["--namespace", "namespace passed to plugins"],
  ["-n", "namespace passed to plugins"],
  ["--kube-context", "kubeconfig context passed to plugins"],
  ["--kubeconfig", "kubeconfig file passed to plugins"],
  ["--help", "show help"],
];

interface Flag {
  names: string[];
  valued: boolean;
  description: string;
}

function flagsOf(spec: CompletionCommand): Flag[] {
  return spec.options.map((o) => ({
    names: o.flags.split(/[ ,]+/).filter((w) => w.startsWith("-")),
    valued: /<[^>]+>$/.test(o.flags),
    description: o.description,
  }));
}

/** A command's name, or an alias spelling of it (`plugin ls` -> the `plugin list` spec). */
function specByPath(table: CompletionTable, path: string): CompletionCommand | undefined {
  for (const spec of table.commands) {
    if (spec.name === path) return spec;
    const words = spec.name.split(" ");
    const parent = words.slice(0, -1).join(" ");
    for (const a of spec.aliases ?? []) if ((parent ? `${parent} ${a}` : a) === path) return spec;
  }
  return undefined;
}

/** The next words after `path` (a group or ""), with their summaries. */
function childrenOf(table: CompletionTable, path: string): [string, string][] {
  const depth = path === "" ? 0 : path.split(" ").length;
  const out = new Map<string, string>();
  const prefix = path === "" ? "" : `${path} `;
  for (const spec of table.commands) {
    if (!spec.name.startsWith(prefix)) continue;
    const words = spec.name.split(" ");
    const word = words[depth];
    if (word === undefined) continue;
    const sub = words.slice(0, depth + 1).join(" ");
    if (!out.has(word)) out.set(word, words.length === depth + 1 ? spec.summary : (table.groups[sub] ?? ""));
  }
  return [...out];
}

/**
 * Candidates for the last of `words` (the words after `capstan`; the last may be ""), as
 * `[candidate, description]` pairs starting with it.
 */
export function complete(
  words: readonly string[],
  plugins: readonly CompletionPlugin[],
  table: CompletionTable,
): [string, string][] {
  const isGroup = (path: string) => path in table.groups;
  const typed = words.slice(0, -1);
  const cur = words.at(-1) ?? "";
  let path = "";
  let spec: CompletionCommand | undefined;
  let plugin = false;
  let positionals = 0;
  let expectsValueOf: string | undefined;
  for (let i = 0; i < typed.length; i++) {
    const w = typed[i]!;
    if (w === "--") break;
    if (w.startsWith("-")) {
      const name = w.includes("=") ? w.slice(0, w.indexOf("=")) : w;
      const flag = spec ? flagsOf(spec).find((f) => f.names.includes(name)) : undefined;
      const valuedFlag = flag?.valued || name in globalValued;
      if (valuedFlag && !w.includes("=")) {
        if (i === typed.length - 1) expectsValueOf = flag?.names.find((n) => n.startsWith("--")) ?? name;
        i++;
      }
      continue;
    }
    if (plugin) return []; // a plugin's own arguments: the shell completes files
    const next = path === "" ? w : `${path} ${w}`;
    if (!spec && (isGroup(next) || specByPath(table, next))) {
      path = next;
      spec = isGroup(next) ? undefined : specByPath(table, next);
      continue;
    }
    if (
      !spec &&
      path === "" &&
      (w === "help" || plugins.some((p) => p.name === w && p.types.includes("cli/v1")))
    ) {
      if (w === "help") path = "help";
      else plugin = true;
      continue;
    }
    positionals++;
  }
  if (plugin) return [];
  // First of each candidate wins (a built-in over a cli plugin of its name, as when run).
  const starting = (pairs: [string, string][]) => {
    const seen = new Set<string>();
    return pairs.filter(([c]) => c.startsWith(cur) && !seen.has(c) && seen.add(c));
  };
  if (expectsValueOf !== undefined) {
    const values = spec ? flagValues[spec.name]?.[expectsValueOf] : undefined;
    return values ? starting(values.map((v) => [v, ""])) : [];
  }
  if (cur.startsWith("-")) {
    const eq = cur.indexOf("=");
    if (eq > 0 && spec) {
      const values = flagValues[spec.name]?.[cur.slice(0, eq)] ?? [];
      return starting(values.map((v) => [`${cur.slice(0, eq + 1)}${v}`, ""]));
    }
    const own = spec
      ? flagsOf(spec).flatMap((f) => f.names.map((n): [string, string] => [n, f.description]))
      : [];
    return starting([...own, ...globalFlags.map(([n, d]): [string, string] => [n, d])]);
  }
  if (path === "help") {
    return positionals > 0 ? [] : starting([...childrenOf(table, ""), ...pluginPairs(plugins, "cli/v1")]);
  }
  if (!spec) {
    const children = childrenOf(table, path);
    return starting(
      path === ""
        ? [...children, ["help", "help about a command or plugin"], ...pluginPairs(plugins, "cli/v1")]
        : children,
    );
  }
  if (spec.name === "completion")
    return positionals > 0 ? [] : starting(completionShells.map((s) => [s, `${s} script`]));
  const takes = pluginArguments[spec.name];
  if (takes) {
    const variadic = /\.\.\.[>\]]/.test(spec.args ?? "");
    if (positionals > 0 && !variadic) return [];
    const already = new Set(typed);
    return starting(pluginPairs(plugins, takes.type).filter(([n]) => !already.has(n)));
  }
  return [];
}

function pluginPairs(plugins: readonly CompletionPlugin[], type: string | undefined): [string, string][] {
  return plugins.filter((p) => type === undefined || p.types.includes(type)).map((p) => [p.name, p.summary]);
}
