#!/usr/bin/env node
// Generates TypeScript types from schemas/*.json into generated/*.ts. The schemas are the single
// source; generated/ is gitignored and rebuilt by `build`, `typecheck` and `test` (pre-scripts).
// `render()` is also used by test/generated-types.test.ts to prove the files on disk are current.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const schemasDir = join(pkgDir, "schemas");
export const generatedDir = join(pkgDir, "generated");

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
