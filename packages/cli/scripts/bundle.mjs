#!/usr/bin/env node
// Bundles the CLI from the workspace packages' sources (so it never picks up a stale dist/ of a
// sibling), in two parts, both for Node 20:
// - dist/capstan.cjs: one CommonJS file with the entry and everything a plugin call needs
//   (discovery, invokers, runtimes). CommonJS because node loads it faster than ES modules,
//   and a trivial plugin call should cost little more than starting node.
// - dist/capstan-commands.js: the built-in commands (commander and the command table), ESM,
//   split into dist/chunks/ so each command loads only what it uses. The light built-ins
//   (src/light-builtins.ts) are in the entry; the part of @capstan/signing they may need
//   (OpenPGP) is dist/capstan-signing.cjs, required only when used.
// Packages in EXTERNAL are not bundled: they are heavy, native, or find files next to
// themselves (esbuild's binary, the compiler's engine.wasm). Each must be a dependency in
// package.json so that node resolves it from dist/ at run time; the build fails otherwise.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { inputDigest } from "../../../tools/build/freshness.mjs";

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const packages = join(here, "..");
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

/** Bare specifiers left to node at run time (import them lazily, inside commands). */
const EXTERNAL = [
  // The YAML parser runs only when a plugin.yaml is not in the discovery cache.
  "yaml",
  "openpgp",
  "typescript",
  "esbuild",
  "wabt",
  "@bytecodealliance/*",
  "@capstan/compiler",
  "@capstan/engine",
  "@capstan/pdk",
];
/**
 * Left to node only as exactly these specifiers (their subpaths are bundled): ajv's compiler
 * is @capstan/manifest's fallback when precompiled validators are missing, which never
 * happens in the bundle; keeping it out saves parsing 200 kB on every plugin call.
 */
const EXTERNAL_EXACT = ["ajv"];
/** Workspace packages bundled from source. */
const BUNDLED = ["manifest", "host", "distribution", "signing"];
const FROM_SOURCE = new RegExp(`^@capstan/(${BUNDLED.join("|")})$`);
const SOURCE_FILE = new RegExp(`[\\\\/]packages[\\\\/](cli|${BUNDLED.join("|")})[\\\\/]src[\\\\/].*\\.ts$`);

// Barrel flattening. esbuild's code splitting works per file, and a package index that
// re-exports everything makes every module behind it (yaml, ajv, tar...) reachable from any
// importer of one name, so `capstan version` would load them all. Static named imports from
// `@capstan/<pkg>` (and `export {...} from`) are rewritten to the module that defines each name,
// read off the package's src/index.ts. `const {a, b} = await import("@capstan/<pkg>")` is
// pointed at the defining modules (merged when the names live in several); other dynamic
// imports keep the index.
const barrels = new Map();
function barrel(name) {
  let map = barrels.get(name);
  if (map) return map;
  map = new Map();
  const dir = join(packages, name, "src");
  const index = readFileSync(join(dir, "index.ts"), "utf8");
  for (const m of index.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from\s*"(\.[^"]+)"/g)) {
    if (m[1]) continue;
    const file = join(dir, m[3].replace(/\.js$/, ".ts"));
    for (const part of m[2].split(",").map((p) => p.trim()).filter(Boolean)) {
      const [local, exported = local] = part.replace(/^type\s+/, "").split(/\s+as\s+/);
      if (!part.startsWith("type ")) map.set(exported, { file, local });
    }
  }
  barrels.set(name, map);
  return map;
}
function flattenImports(text) {
  return flattenDynamicImports(flattenStaticImports(text));
}
/**
 * `const { a, b } = await import("@capstan/x")`: imports the modules defining the names (one
 * import, or the namespaces of several merged), so only those modules and theirs are loaded.
 */
function flattenDynamicImports(text) {
  return text.replace(
    new RegExp(`(const\\s*\\{([^}]*)\\}\\s*=\\s*)await\\s+import\\("@capstan/(${BUNDLED.join("|")})"\\)`, "g"),
    (whole, head, names, name) => {
      const map = barrel(name);
      const files = new Set();
      for (const part of names.split(",").map((p) => p.trim()).filter(Boolean)) {
        const hit = map.get(part.split(":")[0].trim());
        if (!hit || hit.local !== part.split(":")[0].trim()) return whole;
        files.add(hit.file);
      }
      const specs = [...files].map((f) => `import(${JSON.stringify(f)})`);
      if (specs.length === 1) return `${head}await ${specs[0]}`;
      return `${head}Object.assign({}, ...(await Promise.all([${specs.join(", ")}])))`;
    },
  );
}
function flattenStaticImports(text) {
  return text.replace(
    new RegExp(`^(import|export)\\s+\\{([^}]*)\\}\\s+from\\s+"@capstan/(${BUNDLED.join("|")})";`, "gm"),
    (whole, keyword, names, name) => {
      const map = barrel(name);
      const byFile = new Map();
      for (const part of names.split(",").map((p) => p.trim()).filter(Boolean)) {
        if (part.startsWith("type ")) continue;
        const [imported, alias = imported] = part.split(/\s+as\s+/);
        const hit = map.get(imported);
        if (!hit) return whole; // not a plain re-export: keep the index import
        const list = byFile.get(hit.file) ?? [];
        list.push(hit.local === alias ? alias : `${hit.local} as ${alias}`);
        byFile.set(hit.file, list);
      }
      return [...byFile].map(([file, list]) => `${keyword} { ${list.join(", ")} } from ${JSON.stringify(file)};`).join("\n");
    },
  );
}

// Bundled sources may not find files next to themselves at run time (import.meta.url is the
// bundle's). @capstan/manifest reads its JSON Schemas that way: inline them; its precompiled
// validators are require()d relative to the source: bundle them. Any other use of
// import.meta.url in a bundled workspace source fails the build rather than the user's run.
const schemaDir = join(packages, "manifest", "schemas");
const schemaRead = /readFileSync\(new URL\(`\.\.\/schemas\/\$\{(\w+)\}`, import\.meta\.url\), "utf8"\)/g;
function inlineAssets(path, text) {
  if (!text.includes("import.meta.url")) return text;
  let out = text;
  if (path.startsWith(join(packages, "manifest", "src"))) {
    const texts = Object.fromEntries(readdirSync(schemaDir).map((f) => [f, readFileSync(join(schemaDir, f), "utf8")]));
    out = `const __capstanSchemas = ${JSON.stringify(texts)};\n${out.replace(schemaRead, "__capstanSchemas[$1]")}`;
  }
  out = out.replace(/^const require = createRequire\(import\.meta\.url\);$/m, "");
  if (/import\.meta\.url/.test(out.replace(/^\s*\/\/.*$/gm, "")) && !path.startsWith(join(here, "src"))) {
    throw new Error(
      `${path} uses import.meta.url, which points at the CLI bundle once bundled; teach scripts/bundle.mjs about it or load it lazily from an EXTERNAL package`,
    );
  }
  return out;
}

// Node built-ins through require(), not ESM import: an ESM import of a built-in makes node
// build a facade that reads every export, and for node:fs that loads all of node's stream
// code (~5 ms per start). esbuild's CommonJS interop reads exports lazily instead.
const builtinModules = new Set(
  (await import("node:module")).builtinModules.flatMap((m) => [m, `node:${m}`]),
);
const builtinsViaRequire = {
  name: "capstan-builtins",
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      if (!builtinModules.has(args.path)) return undefined;
      // Dynamic imports stay native: callers may expect the ESM namespace shape.
      if (args.namespace === "builtin" || args.kind === "dynamic-import") return { path: args.path, external: true };
      return { path: args.path, namespace: "builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

const workspace = {
  name: "capstan-workspace",
  setup(b) {
    b.onResolve({ filter: FROM_SOURCE }, (args) => ({
      path: join(packages, args.path.slice("@capstan/".length), "src", "index.ts"),
    }));
    b.onLoad({ filter: SOURCE_FILE }, (args) => {
      try {
        return { contents: flattenImports(inlineAssets(args.path, readFileSync(args.path, "utf8"))), loader: "ts" };
      } catch (e) {
        return { errors: [{ text: e.message }] };
      }
    });
    const matches = (spec) =>
      EXTERNAL_EXACT.includes(spec) ||
      EXTERNAL.some((e) => (e.endsWith("/*") ? spec.startsWith(e.slice(0, -1)) : spec === e || spec.startsWith(`${e}/`)));
    b.onResolve({ filter: /^[@a-z]/ }, (args) => {
      if (!matches(args.path)) return undefined;
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      if (!(name in (pkg.dependencies ?? {}))) {
        return {
          errors: [{ text: `external "${name}" (imported by ${args.importer}) must be a dependency in packages/cli/package.json` }],
        };
      }
      return { path: args.path, external: true };
    });
  },
};

/** Top-level command words, read off the command table by bundling and importing it. */
async function commandNames() {
  return (await importBundled("builtin-names.ts")).builtinNames();
}

/** What completion needs of the command table (src/completion/completion-table.ts). */
async function completionData() {
  return (await importBundled(join("completion", "completion-table.ts"))).completionTable();
}

/** Bundles src/<file> and imports it (to read data off the command table at build time). */
async function importBundled(file) {
  const out = await build({
    entryPoints: [join(here, "src", file)],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [workspace],
    logLevel: "warning",
  });
  const tmp = join(here, "dist", `.import-${process.pid}-${file.replace(/\W/g, "_")}.mjs`);
  writeFileSync(tmp, out.outputFiles[0].text);
  try {
    return await import(pathToFileURL(tmp).href);
  } finally {
    rmSync(tmp, { force: true });
  }
}

const dist = join(here, "dist");
mkdirSync(dist, { recursive: true });
const names = [...(await commandNames())];
const completion = await completionData();
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  minifySyntax: true,
  charset: "ascii",
  legalComments: "none",
  define: {
    __CAPSTAN_VERSION__: JSON.stringify(pkg.version),
    __CAPSTAN_BUILD__: JSON.stringify(Date.now().toString(36)),
  },
  logLevel: "warning",
  metafile: true,
  // Outputs are written by writeOutputs below (atomically), never straight into dist/.
  write: false,
};

/** Imports of @capstan/signing (by name, or a module of it once barrels are flattened). */
const signingSrc = join(packages, "signing", "src");
const SIGNING = new RegExp(`^(@capstan/signing|${signingSrc.replace(/[\\/.]/g, "\\$&")}.*)$`);

/** True when a module imports openpgp, itself or through its relative static imports. */
function needsOpenpgp(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  if (/^import\s+(?!type\b)[^;]*from\s+"openpgp"/m.test(text)) return true;
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*from\s+"(\.[^"]+)"/gm)) {
    if (needsOpenpgp(join(dirname(file), m[1].replace(/\.js$/, ".ts")), seen)) return true;
  }
  return false;
}

// The entry and the plugin path. The built-in commands stay outside (an ESM import of
// capstan-commands.js) and the command table is replaced by the names computed above.
const entry = await build({
  ...common,
  entryPoints: { capstan: join(here, "src", "bin.ts") },
  outdir: join(here, "dist"),
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  plugins: [
    {
      name: "capstan-entry",
      setup(b) {
        // `await import("node:wasi")` in CommonJS would start node's ESM loader just for a
        // built-in; require it instead (esbuild's interop keeps the namespace shape).
        b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
          if (!builtinModules.has(args.path)) return undefined;
          if (args.namespace === "builtin") return { path: args.path, external: true };
          return args.kind === "dynamic-import" ? { path: args.path, namespace: "builtin" } : { path: args.path, external: true };
        });
        b.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
          contents: `module.exports = require(${JSON.stringify(args.path)});`,
          loader: "js",
        }));
        // @capstan/signing (40 kB, and OpenPGP) is imported lazily by `plugin list` only
        // (provenance): it is require()d from dist/capstan-signing.cjs so that plugin calls do
        // not read it. Modules of it that need no OpenPGP (describeProvenance) stay inline.
        b.onResolve({ filter: /.*/, namespace: "capstan-lazy" }, (args) => ({ path: args.path, external: true }));
        b.onResolve({ filter: SIGNING }, (args) => {
          if (args.kind !== "dynamic-import" || args.importer.startsWith(signingSrc)) return undefined;
          if (args.path.startsWith(signingSrc) && !needsOpenpgp(args.path)) return undefined;
          return { path: "./capstan-signing.cjs", namespace: "capstan-lazy" };
        });
        b.onLoad({ filter: /.*/, namespace: "capstan-lazy" }, (args) => ({
          contents: `module.exports = require(${JSON.stringify(args.path)});`,
          loader: "js",
        }));
        b.onResolve({ filter: /^\.\/program\.js$/ }, () => ({ path: "./capstan-commands.js", external: true }));
        // `capstan __complete` (a TAB press) runs from the entry with the table computed above.
        b.onResolve({ filter: /^\.\/completion-table\.js$/ }, () => ({ path: "completion-table", namespace: "capstan" }));
        b.onLoad({ filter: /^completion-table$/, namespace: "capstan" }, () => ({
          // A string parsed on a TAB press: a plugin call only scans a string literal.
          contents: `const text = ${JSON.stringify(JSON.stringify(completion))};\nexport async function completionTable() { return JSON.parse(text); }`,
          loader: "js",
        }));
        b.onResolve({ filter: /^\.\/builtin-names\.js$/ }, () => ({ path: "builtin-names", namespace: "capstan" }));
        b.onLoad({ filter: /^builtin-names$/, namespace: "capstan" }, () => ({
          contents: `const names = new Set(${JSON.stringify(names)});\nexport async function builtinNames() { return names; }`,
          loader: "js",
        }));
      },
    },
    workspace,
  ],
});

// bin/capstan.cjs runs the entry as a vm.Script (to use V8's code cache), where import() needs
// a callback that node 20 offers only behind a flag: the entry's dynamic imports call the
// shim's importer instead, or a plain import() when the file is require()d directly. Added to
// line 1, so the source map still fits.
const entryFile = join(dist, "capstan.cjs");
const entryOut = entry.outputFiles.find((f) => f.path === entryFile);
const entryText = entryOut.text.replace(/(?<![\w$.])import\(/g, "__capstanImport(");
if (!entryText.startsWith('"use strict";\n')) throw new Error(`${entryFile}: expected "use strict" on line 1`);
// The shim reads the entry as latin1 (the cheapest decoding): it must stay ASCII.
if (/[^\x00-\x7f]/.test(entryText)) throw new Error(`${entryFile}: not ASCII (the shim reads it as latin1)`);
const entryFinal = entryText.replace(
  '"use strict";\n',
  '"use strict";var __capstanImport = typeof __capstanShimImport === "function" ? __capstanShimImport : (s) => import(s);\n',
);

// @capstan/signing for the entry (see SIGNING): CommonJS, required by path from dist/.
const signing = await build({
  ...common,
  entryPoints: { "capstan-signing": join(packages, "signing", "src", "index.ts") },
  outdir: join(here, "dist"),
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  plugins: [workspace],
});

const commands = await build({
  ...common,
  entryPoints: { "capstan-commands": join(here, "src", "program.ts") },
  outdir: join(here, "dist"),
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  // Bundled CommonJS dependencies may call require(); give them one in ESM.
  banner: {
    js: 'import { createRequire as __capstanRequire } from "node:module"; const require = __capstanRequire(import.meta.url);',
  },
  plugins: [builtinsViaRequire, workspace],
});

// Writing. Tests and other builds' tests run dist/ while this build runs (turbo builds while
// someone tests): dist/ is never emptied and each file is replaced by a rename, so a reader
// sees the old or the new file, never none. Order: new chunks (content-hashed names) first,
// then the commands bundle that imports them, then the entry that imports it. Chunks of
// earlier builds are deleted one build later (a process started just before may still
// import them).
function writeAtomic(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}
const isChunk = (f) => relative(dist, f.path).split(sep)[0] === "chunks";
for (const f of commands.outputFiles.filter(isChunk)) writeAtomic(f.path, f.contents);
for (const f of commands.outputFiles.filter((f) => !isChunk(f))) writeAtomic(f.path, f.contents);
for (const f of signing.outputFiles) writeAtomic(f.path, f.contents);
for (const f of entry.outputFiles) writeAtomic(f.path, f === entryOut ? entryFinal : f.contents);
// dist/meta.*.json: what went into which file (inspect with https://esbuild.github.io/analyze/).
writeAtomic(join(dist, "meta.entry.json"), JSON.stringify(entry.metafile));
writeAtomic(join(dist, "meta.commands.json"), JSON.stringify(commands.metafile));
writeAtomic(join(dist, "meta.signing.json"), JSON.stringify(signing.metafile));
// What the bundles were made from (workspace sources and package.json, not node_modules), for
// the release's check that the published bundle is not stale (tools/release).
const bundleInputs = [
  ...new Set(
    [entry, signing, commands]
      .flatMap((r) => Object.keys(r.metafile.inputs))
      .filter((f) => !f.includes("node_modules") && !f.includes(":"))
      .map((f) => join(here, f)),
  ),
  join(here, "package.json"),
].sort();
writeAtomic(
  join(dist, ".bundle-inputs.json"),
  `${JSON.stringify({ inputs: inputDigest(bundleInputs, here), files: bundleInputs.map((f) => relative(here, f)) }, null, 1)}\n`,
);

const chunkRecord = join(dist, ".bundle-chunks.json");
let lastChunks = [];
try {
  lastChunks = JSON.parse(readFileSync(chunkRecord, "utf8")).chunks ?? [];
} catch {
  // first build with a record
}
const newChunks = commands.outputFiles.filter(isChunk).map((f) => relative(join(dist, "chunks"), f.path));
const keep = new Set([...newChunks, ...lastChunks]);
for (const name of readdirSync(join(dist, "chunks"))) {
  if (keep.has(name)) continue;
  // Files of a build still in progress elsewhere are young; leave them to that build.
  const path = join(dist, "chunks", name);
  if (Date.now() - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true });
}
writeAtomic(chunkRecord, `${JSON.stringify({ chunks: newChunks }, null, 1)}\n`);
