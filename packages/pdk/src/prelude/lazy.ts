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

function install(globals: string[], code: string): void {
  let loaded = false;
  // dropped once evaluated, so a snapshot does not keep the text of loaded modules
  let source: string | null = code;
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
  for (const name of globals) {
    Object.defineProperty(g, name, {
      configurable: true,
      enumerable: false,
      get() {
        load();
        return g[name];
      },
      set(v: unknown) {
        assigned.set(name, v);
        define.defineGlobal(name, v);
      },
    });
  }
}

for (const m of LAZY) {
  install(m.globals, m.source);
  (m as { source: string | null }).source = null;
  if (m.eager) void g[m.globals[0] as string];
}

/**
 * Snapshot-time hook for the compiler: evaluates the lazy modules whose global names occur in
 * the plugin bundle's source, so their code is parsed once into the snapshot instead of on
 * every call. Deletes itself; returns the names of the modules it loaded.
 */
function preload(source: string): string[] {
  delete g.__capstanPreload;
  const done: string[] = [];
  for (const m of LAZY) {
    if (m.eager) continue;
    if (m.globals.some((n) => new RegExp(`\\b${n}\\b`).test(String(source)))) {
      void g[m.globals[0] as string];
      done.push(m.name);
    }
  }
  return done;
}

define.defineGlobal("__capstanPreload", preload);
