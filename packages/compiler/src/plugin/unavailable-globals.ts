// Globals that TypeScript's lib declares (so plugin code type-checks) but that a Capstan plugin
// does not have: the build refuses their use by name instead of letting the call fail with a
// ReferenceError. The list is checked against the real engine and TypeScript's ES2020 lib by
// test/unavailable-globals.test.ts; docs/pdk.md lists them with what to use instead.
import ts from "typescript";

/** Name -> why it is missing and what to use instead. */
export const UNAVAILABLE_GLOBALS: Readonly<Record<string, string>> = {
  Atomics:
    "the engine is single-threaded (no shared memory between threads); plain reads and writes are enough",
};

/** `file:line:col: message` for each reference to an unavailable global in the program's own files. */
export function unavailableGlobalUses(
  program: ts.Program,
  describe: (sf: ts.SourceFile, pos: number) => string,
): string[] {
  const checker = program.getTypeChecker();
  const out: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || /[\\/]node_modules[\\/]/.test(sf.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && Object.hasOwn(UNAVAILABLE_GLOBALS, node.text)) {
        const decls = checker.getSymbolAtLocation(node)?.declarations ?? [];
        if (decls.length > 0 && decls.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile())))
          out.push(
            `${describe(sf, node.getStart(sf))}: "${node.text}" does not exist in a Capstan plugin: ${UNAVAILABLE_GLOBALS[node.text]}`,
          );
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}
