// What a YAML backend provides to the PDK's YAML module: in a plugin the engine's C (libyaml,
// capstan-yaml.c), in Node the `yaml` npm package (node.ts), so plugin cores stay testable in
// Node. Both report the same raw shape; document.ts and editor.ts build on it.

/** One parsed document as a backend reports it. */
export interface RawDocument {
  /** The plain value (null for an empty document). */
  value: unknown;
  /** UTF-16 offsets of the document in the parsed text (from its first token). */
  start: number;
  end: number;
  /** With positions: Int32 records of NODE_WIDTH, pre-order, keys before their values. */
  nodes?: ArrayBuffer;
  /** With positions: the map keys, indexed by a key record's NODE_KEY slot. */
  keys?: string[];
}

/** Parse and emit, as plain functions (no `this`). */
export interface YamlBackend {
  parse(text: string, positions: boolean, maxDepth: number, maxAliasNodes: number): RawDocument[];
  stringify(value: unknown, maxDepth: number): string;
}

/** Slots of a node record (capstan-yaml.c writes the same layout). */
export const NODE_INFO = 0;
export const NODE_START = 1;
export const NODE_END = 2;
export const NODE_SIZE = 3;
export const NODE_KEY = 4;
export const NODE_WIDTH = 5;
/** NODE_INFO & 15 */
export const KINDS = ["scalar", "map", "seq", "alias"] as const;
/** NODE_INFO >> 4, for scalars and for collections. */
export const SCALAR_STYLES = ["plain", "single", "double", "literal", "folded"] as const;
export const COLLECTION_STYLES = ["block", "flow"] as const;
