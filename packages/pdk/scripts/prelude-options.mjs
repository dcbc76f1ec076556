// Builds the prelude text (dist/prelude.js), shared by the package build and the tests.
//
// Every byte of prelude code the engine parses at snapshot time costs ~10 bytes of snapshotted
// heap in every plugin, so the big, less common global families are LAZY: their bundle is kept
// as a source string and evaluated the first time one of their globals is touched (see
// src/prelude/lazy.ts). Shared modules are not duplicated: a lazy bundle reaches them through
// the `__capstanShared` object the eager prelude passes in.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dir = fileURLToPath(new URL("../src/prelude/", import.meta.url));

/** Lazy modules and the globals each one defines. */
export const LAZY_MODULES = {
  url: ["URL", "URLSearchParams"],
  "url-pattern": ["URLPattern"],
  "structured-clone": ["structuredClone"],
  crypto: ["crypto", "CryptoKey"],
  events: ["Event", "EventTarget", "AbortController", "AbortSignal"],
  fetch: ["fetch", "Headers", "Request", "Response"],
  buffer: ["Buffer"],
  process: ["process", "Capstan"],
  intl: ["Intl"],
  base64: ["atob", "btoa"],
  memory: ["Memory", "MemoryHandle"],
};

/** Modules evaluated right away, but each from its own source text: parsing the prelude in
 *  chunks leaves a less fragmented heap than one big script (measured: ~25 KB smaller). */
export const EAGER_CHUNKS = {
  console: ["console"],
  text: ["TextEncoder", "TextDecoder"],
  host: ["Host"],
  "config-var": ["Config", "Var"],
  time: ["performance", "queueMicrotask", "setTimeout", "setInterval", "clearTimeout", "clearInterval"],
};

/** Eager modules a lazy bundle may import (passed in, never bundled twice). */
const SHARED = ["kernel", "utf8", "define", "base64-codec", "dom-exception", "http", "url"];

const common = (minify) => ({
  bundle: true,
  platform: "neutral",
  target: "es2020",
  // QuickJS has class fields natively: keep them instead of lowering to helper calls
  supported: { "class-field": true, "class-static-field": true },
  minify,
  legalComments: "none",
  logLevel: "warning",
  write: false,
});

const sharedPlugin = (self) => ({
  name: "capstan-shared",
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z0-9-]+\.js$/ }, (args) => {
      const name = args.path.slice(2, -3);
      if (!SHARED.includes(name) || name === self) return undefined;
      return { path: name, namespace: "capstan-shared" };
    });
    b.onLoad({ filter: /.*/, namespace: "capstan-shared" }, (args) => ({
      contents: `module.exports = __capstanShared[${JSON.stringify(args.path)}];`,
      loader: "js",
    }));
  },
});

/** Bundles src/prelude into one IIFE script for the engine (ES2020, no Node APIs). */
export async function buildPreludeText({ minify = true } = {}) {
  const lazy = [];
  const chunks = [
    ...Object.entries(EAGER_CHUNKS).map(([name, globals]) => [name, globals, true]),
    ...Object.entries(LAZY_MODULES).map(([name, globals]) => [name, globals, false]),
  ];
  for (const [name, globals, eager] of chunks) {
    const r = await build({
      ...common(minify),
      entryPoints: [`${dir}${name}.ts`],
      format: "iife",
      plugins: [sharedPlugin(name)],
    });
    const code = r.outputFiles[0].text.trim();
    lazy.push({ name, globals, eager, source: `(function(__capstanShared){${code}})` });
  }
  const r = await build({
    ...common(minify),
    entryPoints: [`${dir}index.ts`],
    format: "iife",
    plugins: [
      {
        name: "capstan-lazy-sources",
        setup(b) {
          b.onResolve({ filter: /^capstan:lazy-sources$/ }, () => ({
            path: "lazy-sources",
            namespace: "capstan-lazy",
          }));
          b.onLoad({ filter: /.*/, namespace: "capstan-lazy" }, () => ({
            contents: `export const LAZY = ${JSON.stringify(lazy)};`,
            loader: "js",
          }));
        },
      },
    ],
  });
  return r.outputFiles[0].text;
}
