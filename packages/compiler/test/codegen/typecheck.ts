// Test helpers: type-check generated files with the TypeScript compiler API, and load
// generated types.ts into Node (transpiled) to exercise its decoders and encoders.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
export const fixtures = join(here, "fixtures");

/** Strict compiler options matching tsconfig.base.json (plus the js-pdk globals). */
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2023.d.ts"],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUnusedLocals: true,
  noEmit: true,
  skipLibCheck: false,
};

/** Type-checks in-memory files (name -> text) plus extra on-disk .d.ts; returns diagnostics as text. */
export function typecheck(files: Record<string, string>, extraFiles: string[] = []): string[] {
  const root = mkdtempSync(join(tmpdir(), "capstan-codegen-"));
  // A package.json with type=module makes NodeNext treat .ts as ESM.
  writeFileSync(join(root, "package.json"), '{"type":"module"}');
  const names = Object.entries(files).map(([name, text]) => {
    const p = join(root, name);
    writeFileSync(p, text);
    return p;
  });
  const program = ts.createProgram([...names, join(fixtures, "js-pdk-globals.d.ts"), ...extraFiles], options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.replace(root, "")}:${line + 1}:${character + 1} ${msg}`;
  });
}

/** Transpiles a generated types.ts to JS and imports it (a real module, no mocks). */
export async function loadTypes(source: string): Promise<Record<string, (...args: never[]) => unknown>> {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = mkdtempSync(join(tmpdir(), "capstan-codegen-run-"));
  const file = join(dir, "types.mjs");
  writeFileSync(file, js);
  return import(pathToFileURL(file).href);
}

/** Reads a fixture file as text. */
export function fixture(...parts: string[]): string {
  return readFileSync(join(fixtures, ...parts), "utf8");
}
