#!/usr/bin/env node
// Bundles the CLI into dist/capstan.js (ESM, Node 20) from the workspace packages' sources,
// so the bundle never picks up a stale dist/ of a sibling. Code that only some commands need
// is split into dist/chunks/ and loaded by `await import()` when a command runs.
// Packages in EXTERNAL are not bundled: they are heavy, native, or find files next to
// themselves (Extism's worker, esbuild's binary). Each must be a dependency in package.json
// so that node resolves it from dist/ at run time; the build fails otherwise.
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const packages = join(here, "..");
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

/** Bare specifiers left to node at run time (import them lazily, inside commands). */
const EXTERNAL = [
  "@extism/extism",
  "openpgp",
  "typescript",
  "esbuild",
  "wabt",
  "@bytecodealliance/*",
  "@capstan/compiler",
  "@capstan/engine",
  "@capstan/pdk",
];
/** Workspace packages bundled from source. */
const FROM_SOURCE = /^@capstan\/(manifest|host|signing)$/;


// Bundled sources may not find files next to themselves at run time (import.meta.url is the
// bundle's). @capstan/manifest reads its JSON Schemas that way: inline them. Any other use of
// import.meta.url in a bundled workspace source fails the build rather than the user's run.
const schemaDir = join(packages, "manifest", "schemas");
const schemaRead = /readFileSync\(new URL\(`\.\.\/schemas\/\$\{(\w+)\}`, import\.meta\.url\), "utf8"\)/g;
const assets = {
  name: "capstan-assets",
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/](manifest|host|signing)[\\/]src[\\/].*\.ts$/ }, (args) => {
      let text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      if (args.path.startsWith(join(packages, "manifest", "src"))) {
        const texts = Object.fromEntries(
          readdirSync(schemaDir).map((f) => [f, readFileSync(join(schemaDir, f), "utf8")]),
        );
        text = `const __capstanSchemas = ${JSON.stringify(texts)};\n${text.replace(schemaRead, "__capstanSchemas[$1]")}`;
      }
      if (/import\.meta\.url/.test(text.replace(/^\s*\/\/.*$/gm, ""))) {
        return { errors: [{ text: `${args.path} uses import.meta.url, which points at the CLI bundle once bundled; teach scripts/bundle.mjs about it or load it lazily from an EXTERNAL package` }] };
      }
      return { contents: text, loader: "ts" };
    });
  },
};
const externalCheck = {
  name: "capstan-externals",
  setup(b) {
    b.onResolve({ filter: FROM_SOURCE }, (args) => ({
      path: join(packages, args.path.slice("@capstan/".length), "src", "index.ts"),
    }));
    const matches = (spec) =>
      EXTERNAL.some((e) => (e.endsWith("/*") ? spec.startsWith(e.slice(0, -1)) : spec === e || spec.startsWith(`${e}/`)));
    b.onResolve({ filter: /^[@a-z]/ }, (args) => {
      if (!matches(args.path)) return undefined;
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      if (!(name in (pkg.dependencies ?? {}))) {
        return { errors: [{ text: `external "${name}" (imported by ${args.importer}) must be a dependency in packages/cli/package.json` }] };
      }
      return { path: args.path, external: true };
    });
  },
};

// Stale chunks from an earlier build would pile up next to the new ones.
rmSync(join(here, "dist", "chunks"), { recursive: true, force: true });

await build({
  entryPoints: { capstan: join(here, "src", "bin.ts") },
  outdir: join(here, "dist"),
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  minifySyntax: true,
  legalComments: "none",
  define: { __CAPSTAN_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies may call require(); give them one in ESM.
  banner: { js: 'import { createRequire as __capstanRequire } from "node:module"; const require = __capstanRequire(import.meta.url);' },
  plugins: [externalCheck, assets],
  logLevel: "warning",
});
