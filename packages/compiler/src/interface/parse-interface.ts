// Parses an extism-js style interface file (`declare module "main"` exports and
// `declare module "extism:host" { interface user {...} }` imports) with the TypeScript
// compiler API. Anything outside the supported shapes is an error naming file:line.
import ts from "typescript";
import { CompilerError } from "../errors.js";
import type { ExportDecl, ImportDecl, PluginInterface, ValueType } from "./types.js";

const TYPES: Record<string, ValueType> = { I32: "I32", I64: "I64", F32: "F32", F64: "F64", PTR: "I64" };
const RESERVED = new Set(["memory", "_initialize", "_start", "capstan_call", "capstan_init"]);
const MAX_PARAMS = 16;

/** The interface of a Helm-style plugin when no interface file is given. */
export const defaultInterface: PluginInterface = { exports: [{ name: "helm_plugin_main" }], imports: [] };

/** Parses interface text; `file` names the source in errors. */
export function parseInterface(text: string, file: string): PluginInterface {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  const fail = (node: ts.Node, msg: string): never => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    throw new CompilerError("COMPILER_INTERFACE", `${file}:${line + 1}:${character + 1}: ${msg}`, {
      hint: 'interface files declare `declare module "main" { export function name(): I32; }` and optional `declare module "extism:host" { interface user { fn(a: I64): I64; } }`',
    });
  };
  const syntax = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const firstSyntax = syntax[0];
  if (firstSyntax) {
    const { line, character } = sf.getLineAndCharacterOfPosition(firstSyntax.start ?? 0);
    throw new CompilerError(
      "COMPILER_INTERFACE",
      `${file}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(firstSyntax.messageText, "\n")}`,
    );
  }
  const exports: ExportDecl[] = [];
  const imports: ImportDecl[] = [];
  const typeOf = (node: ts.TypeNode | undefined, what: string, allowVoid: boolean): ValueType | null => {
    if (!node) return what === "parameter" ? "I64" : fail(sf, `${what}: missing type`);
    if (allowVoid && node.kind === ts.SyntaxKind.VoidKeyword) return null;
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const t = TYPES[node.typeName.text];
      if (t) return t;
    }
    return fail(
      node,
      `${what}: unsupported type "${node.getText(sf)}" (use I32, I64, F32, F64 or PTR${allowVoid ? ", or void" : ""})`,
    );
  };
  const seen = new Set<string>();
  for (const stmt of sf.statements) {
    if (!ts.isModuleDeclaration(stmt) || !ts.isStringLiteral(stmt.name)) {
      fail(
        stmt,
        'only `declare module "main"` and `declare module "extism:host"` blocks are allowed at the top level',
      );
      continue;
    }
    const mod = (stmt as ts.ModuleDeclaration).name as ts.StringLiteral;
    const body = (stmt as ts.ModuleDeclaration).body;
    if (!body || !ts.isModuleBlock(body)) fail(stmt, "module declaration without a body");
    const block = body as ts.ModuleBlock;
    if (mod.text === "main") {
      for (const d of block.statements) {
        if (!ts.isFunctionDeclaration(d) || !d.name) {
          fail(d, 'only `export function name(): I32;` declarations are allowed in module "main"');
          continue;
        }
        const fn = d as ts.FunctionDeclaration;
        const name = (fn.name as ts.Identifier).text;
        if (!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
          fail(fn, `function ${name} must be exported`);
        if (fn.parameters.length > 0)
          fail(
            fn.parameters[0] as ts.Node,
            `export ${name}: exports take no parameters (read input with Host.inputString())`,
          );
        const result = typeOf(fn.type, `export ${name} result`, false);
        if (result !== "I32") fail(fn.type ?? fn, `export ${name} must return I32`);
        if (RESERVED.has(name)) fail(fn, `export name "${name}" is reserved`);
        if (seen.has(name)) fail(fn, `export ${name} is declared twice`);
        seen.add(name);
        exports.push({ name });
      }
    } else if (mod.text === "extism:host") {
      for (const d of block.statements) {
        if (!ts.isInterfaceDeclaration(d) || d.name.text !== "user") {
          fail(d, 'module "extism:host" may only contain `interface user { ... }`');
          continue;
        }
        for (const m of (d as ts.InterfaceDeclaration).members) {
          if (!ts.isMethodSignature(m) || !m.name || !ts.isIdentifier(m.name)) {
            fail(m, "interface user: only method signatures like `name(a: I64): I64;` are allowed");
            continue;
          }
          const sig = m as ts.MethodSignature;
          const name = (sig.name as ts.Identifier).text;
          if (sig.parameters.length > MAX_PARAMS)
            fail(sig, `host function ${name}: at most ${MAX_PARAMS} parameters`);
          const params = sig.parameters.map((p) => typeOf(p.type, "parameter", false) as ValueType);
          const result = typeOf(sig.type, `host function ${name} result`, true);
          if (imports.some((i) => i.name === name)) fail(sig, `host function ${name} is declared twice`);
          imports.push({ name, params, result });
        }
      }
    } else {
      fail(mod, `unknown module "${mod.text}" (expected "main" or "extism:host")`);
    }
  }
  if (exports.length === 0) {
    throw new CompilerError("COMPILER_INTERFACE", `${file}: declares no exports`, {
      hint: 'add `declare module "main" { export function helm_plugin_main(): I32; }`',
    });
  }
  return { exports, imports };
}
