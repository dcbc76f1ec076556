/** A Wasm value type usable in an interface file (PTR is an alias of I64). */
export type ValueType = "I32" | "I64" | "F32" | "F64";

/** One plugin export: `() -> i32`, bound by name to module.exports[name]. */
export interface ExportDecl {
  name: string;
}

/** One host function imported from Wasm module `extism:host/user`. */
export interface ImportDecl {
  name: string;
  params: ValueType[];
  result: ValueType | null;
}

/** The parsed interface file. */
export interface PluginInterface {
  exports: ExportDecl[];
  imports: ImportDecl[];
}
