#!/usr/bin/env node
// Generates TypeScript types from schemas/*.json into generated/*.ts, and the message validators
// precompiled by ajv into generated/validators.cjs (so a CLI run does not load ajv's compiler:
// ~100 ms). The schemas are the single source; generated/ is gitignored and rebuilt by `build`,
// `typecheck` and `test` (pre-scripts); src/validate-message.ts compiles at run time if absent.
// `render()` is also used by test/generated-types.test.ts to prove the files on disk are current.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { compile } from "json-schema-to-typescript";

const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const schemasDir = join(pkgDir, "schemas");
export const generatedDir = join(pkgDir, "generated");

/** Options shared with the run-time fallback in src/validate-message.ts (keep them equal). */
export const ajvOptions = { strict: true, allowUnionTypes: true, verbose: true, keywords: ["tsType"] };

/** CommonJS source of every message validator, exported by message name (`cli.input`...). */
function validatorsSource() {
  const ajv = new Ajv({ ...ajvOptions, code: { source: true } });
  const exportsByName = {};
  for (const file of readdirSync(schemasDir)
    .filter((f) => /\.v1\.(input|output)\.json$/.test(f))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(schemasDir, file), "utf8"));
    ajv.addSchema(schema);
    const [type, , dir] = file.split(".");
    exportsByName[`${type}.${dir}`] = schema.$id;
  }
  const banner =
    "// Generated from schemas/*.v1.*.json by scripts/gen-types.mjs (ajv standalone). Do not edit.\n";
  return banner + standaloneCode.default(ajv, exportsByName);
}

/** Maps each schema file to its generated file name and TS source text. */
export async function render() {
  const out = new Map();
  for (const file of readdirSync(schemasDir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(schemasDir, file), "utf8"));
    // The generator resolves $id/$ref relative to cwd; keep it local and deterministic.
    const ts = await compile(schema, schema.title, {
      bannerComment: `// Generated from schemas/${file} by scripts/gen-types.mjs. Do not edit.`,
      cwd: schemasDir,
      declareExternallyReferenced: true,
      additionalProperties: false,
      strictIndexSignatures: true,
      unreachableDefinitions: false,
      style: { singleQuote: false, printWidth: 110 },
    });
    out.set(file.replace(/\.json$/, ".ts"), ts);
  }
  out.set("validators.cjs", validatorsSource());
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(generatedDir, { recursive: true });
  for (const [name, ts] of await render()) {
    const path = join(generatedDir, name);
    let old = "";
    try {
      old = readFileSync(path, "utf8");
    } catch {}
    if (old !== ts) writeFileSync(path, ts);
  }
}
