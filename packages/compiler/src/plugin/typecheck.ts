// Type-checks a plugin with the TypeScript compiler API before bundling (esbuild only strips
// types). Uses the plugin's own tsconfig.json when it has one (test files left out). Uses of
// globals the lib declares but a plugin lacks are errors too (unavailable-globals.ts).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { findInterface } from "./find-entry.js";
import { unavailableGlobalUses } from "./unavailable-globals.js";

const DEFAULTS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2020.d.ts"],
  types: [],
  skipLibCheck: true,
  noEmit: true,
  allowJs: true,
};

/** The PDK's global declarations (Host, Config, ...) when @capstan/pdk ships them. */
function pdkTypes(): string[] {
  try {
    const req = createRequire(import.meta.url);
    const root = dirname(req.resolve("@capstan/pdk/package.json"));
    // The package's "types" entry (it references the globals), else the historical location.
    const declared = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { types?: string })
      .types;
    const p = join(root, declared ?? join("types", "index.d.ts"));
    return existsSync(p) ? [p] : [];
  } catch {
    return [];
  }
}

/**
 * A plugin project outside this workspace (e.g. made by `capstan plugin create`) may not have
 * @capstan/pdk installed: its imports then resolve to the compiler's own copy, as in bundle.ts.
 */
function withPdkFallback(options: ts.CompilerOptions, dir: string): ts.CompilerOptions {
  const probe = ts.resolveModuleName("@capstan/pdk", join(dir, "index.ts"), options, ts.sys);
  if (probe.resolvedModule) return options;
  try {
    const req = createRequire(import.meta.url);
    const root = dirname(req.resolve("@capstan/pdk/package.json"));
    const types = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { types?: string }).types;
    if (!types) return options;
    // `"types": ["@capstan/pdk"]` (the scaffold's tsconfig) cannot resolve either; the globals
    // come from pdkTypes() as a root file instead.
    return {
      ...options,
      paths: { ...options.paths, "@capstan/pdk": [join(root, types)] },
      types: options.types?.filter((t) => t !== "@capstan/pdk"),
    };
  } catch {
    return options;
  }
}

/** Error diagnostics as `file:line:col: message` lines (paths relative to dir); [] when clean. */
export function typecheck(entry: string, dir: string): string[] {
  let options = DEFAULTS;
  let roots = [entry];
  const cfg = join(dir, "tsconfig.json");
  if (existsSync(cfg)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      cfg,
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (parsed) {
      options = { ...parsed.options, noEmit: true };
      roots = [
        entry,
        ...parsed.fileNames.filter(
          (f) => !/\.test\.[cm]?[jt]s$/.test(f) && !/[\\/](test|tests|__tests__)[\\/]/.test(relative(dir, f)),
        ),
      ];
    }
  }
  options = withPdkFallback(options, dir);
  // The interface file types Host.getFunctions() (it augments module "extism:host").
  const iface = findInterface(dir);
  if (iface) roots.push(iface);
  const program = ts.createProgram([...new Set([...roots, ...pdkTypes()])], options);
  const where = (file: ts.SourceFile, pos: number) => {
    const { line, character } = file.getLineAndCharacterOfPosition(pos);
    return `${relative(dir, file.fileName)}:${line + 1}:${character + 1}`;
  };
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return text;
      return `${where(d.file, d.start)}: ${text}`;
    });
  return [...errors, ...unavailableGlobalUses(program, where)];
}
