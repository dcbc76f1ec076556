// Type-checks a plugin with the TypeScript compiler API before bundling (esbuild only strips
// types). Uses the plugin's own tsconfig.json when it has one (test files left out).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

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
    const p = join(root, "types", "index.d.ts");
    return existsSync(p) ? [p] : [];
  } catch {
    return [];
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
  const program = ts.createProgram([...new Set([...roots, ...pdkTypes()])], options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return text;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(dir, d.file.fileName)}:${line + 1}:${character + 1}: ${text}`;
    });
}
