// Lazy globals: each lazy module (see scripts/prelude-options.mjs) is kept as source text and
// evaluated the first time one of its globals is read, so plugins that never touch URL, fetch,
// Buffer... do not carry their compiled code in the snapshot. A plugin may also assign its own
// value to such a global before first use. Eager chunks (console, Host...) go through the same
// path but are evaluated right away, at prelude start.
import { LAZY } from "capstan:lazy-sources";
import * as base64Codec from "./base64-codec.js";
import * as define from "./define.js";
import * as domException from "./dom-exception.js";
import * as http from "./http.js";
import * as kernel from "./kernel.js";
import * as utf8 from "./utf8.js";

const g = globalThis as unknown as Record<string, unknown>;

/** What a lazy bundle imports from the eager prelude (by module file name). */
const shared: Record<string, unknown> = {
  kernel,
  utf8,
  define,
  "base64-codec": base64Codec,
  "dom-exception": domException,
  http,
  // fetch and URLPattern use the lazy URL through the global
  url: {
    get URL() {
      return g.URL;
    },
  },
};

// Indirect eval: global scope, no access to the prelude's closure except through `shared`.
// biome-ignore lint/security/noGlobalEval: evaluates the prelude's own lazy modules, built with it
const evaluate = eval;

/** A lazy module once its getters are installed. */
interface Installed {
  name: string;
  globals: string[];
  eager: boolean;
  /** Its source until it is evaluated or dropped. */
  text(): string | null;
  /** Forgets the source; its globals then throw a ReferenceError saying why. */
  drop(): void;
}

function install(name: string, globals: string[], code: string, eager: boolean): Installed {
  let loaded = false;
  // dropped once evaluated, so a snapshot does not keep the text of loaded modules
  let source: string | null = code;
  let dropped = false;
  // values the plugin assigned before the module loaded win over the module's own
  const assigned = new Map<string, unknown>();
  const load = () => {
    if (loaded) return;
    loaded = true;
    for (const n of globals) {
      const d = Object.getOwnPropertyDescriptor(g, n);
      if (d?.get) delete g[n];
    }
    const text = source as string;
    source = null;
    (evaluate(text) as (s: unknown) => void)(shared);
    for (const [n, v] of assigned) define.defineGlobal(n, v);
  };
  for (const global of globals) {
    Object.defineProperty(g, global, {
      configurable: true,
      enumerable: false,
      get() {
        if (dropped) {
          throw new ReferenceError(
            `${global} is not in this plugin: the build leaves out prelude globals the bundle never names. Write ${global} by name in the plugin's source (for example globalThis.${global}) and rebuild`,
          );
        }
        load();
        return g[global];
      },
      set(v: unknown) {
        assigned.set(global, v);
        define.defineGlobal(global, v);
      },
    });
  }
  return {
    name,
    globals,
    eager,
    text: () => source,
    drop: () => {
      if (loaded) return;
      source = null;
      dropped = true;
    },
  };
}

/** Words besides its globals that need a lazy module: the prelude's own users of it (locale.ts). */
const ALSO_NEEDED_BY: Record<string, string[]> = {
  intl: ["toLocaleString", "toLocaleDateString", "toLocaleTimeString", "localeCompare"],
};

const mentions = (text: string, words: string[]) => words.some((w) => new RegExp(`\\b${w}\\b`).test(text));
const wordsOf = (m: Installed) => [...m.globals, ...(ALSO_NEEDED_BY[m.name] ?? [])];

const installed: Installed[] = [];
// Lazy modules an eager chunk names are always needed (eager sources are gone once evaluated).
const neededByEager = new Set<string>();
for (const m of LAZY) {
  installed.push(install(m.name, m.globals, m.source, m.eager));
  (m as { source: string | null }).source = null;
}
// Which lazy modules each lazy module names (its source is gone once it is evaluated).
const deps = new Map<string, string[]>();
for (const it of installed) {
  const text = it.text() as string;
  const named = installed
    .filter((o) => o !== it && !o.eager && mentions(text, wordsOf(o)))
    .map((o) => o.name);
  if (it.eager) for (const n of named) neededByEager.add(n);
  else deps.set(it.name, named);
}
for (const it of installed) if (it.eager) void g[it.globals[0] as string];

/**
 * Snapshot-time hook for the compiler: evaluates the lazy modules whose global names occur in
 * the plugin bundle's source, so their code is parsed once into the snapshot instead of on
 * every call. With `dropUnused`, the lazy modules nothing can reach (not named by the bundle,
 * by an eager chunk, by the prelude's own users such as locale.ts, nor by a module so kept)
 * lose their source: tens of KB a plugin never runs stay out of the snapshot, and their
 * globals throw a ReferenceError naming the fix. Deletes itself; returns the names of the
 * modules it loaded.
 */
function preload(source: string, dropUnused = false): string[] {
  delete g.__capstanPreload;
  const bundle = String(source);
  const done: string[] = [];
  for (const m of installed) {
    if (!m.eager && mentions(bundle, m.globals)) {
      void g[m.globals[0] as string];
      done.push(m.name);
    }
  }
  if (dropUnused) {
    const kept = new Set<string>(neededByEager);
    for (const m of installed) if (!m.eager && mentions(bundle, wordsOf(m))) kept.add(m.name);
    for (const work = [...kept]; work.length > 0; ) {
      for (const d of deps.get(work.pop() as string) ?? []) {
        if (!kept.has(d)) {
          kept.add(d);
          work.push(d);
        }
      }
    }
    for (const m of installed) if (!m.eager && !kept.has(m.name)) m.drop();
  }
  return done;
}

define.defineGlobal("__capstanPreload", preload);
