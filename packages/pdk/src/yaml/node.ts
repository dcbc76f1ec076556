// `@capstan/pdk/yaml` in Node (the default export condition): the same API over the `yaml` npm
// package, so a plugin's core can be unit-tested in Node. Positions come from yaml's node
// ranges; values are yaml's toJS (YAML 1.2 core schema, like the native parser).
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments as yamlParse,
  stringify as yamlStringify,
} from "yaml";
import { yamlModule } from "./api.js";
import type { RawDocument, YamlBackend } from "./backend.js";

const STYLE: Record<string, number> = {
  PLAIN: 0,
  QUOTE_SINGLE: 1,
  QUOTE_DOUBLE: 2,
  BLOCK_LITERAL: 3,
  BLOCK_FOLDED: 4,
};

function table(root: Node | null, docEnd: number): { nodes: ArrayBuffer; keys: string[] } {
  const recs: number[] = [];
  const keys: string[] = [];
  const add = (node: unknown, at: number, key: boolean): void => {
    const i = recs.length / 5;
    if (!node || !(isScalar(node) || isMap(node) || isSeq(node) || isAlias(node))) {
      recs.push(0, at, at, 1, -1); // an absent value: an empty plain null
      return;
    }
    const range = node.range ?? [at, at, at];
    const kind = isScalar(node) ? 0 : isMap(node) ? 1 : isSeq(node) ? 2 : 3;
    const style = isScalar(node)
      ? (STYLE[node.type ?? "PLAIN"] ?? 0)
      : (isMap(node) || isSeq(node)) && node.flow
        ? 1
        : 0;
    recs.push(kind | (style << 4), range[0], range[1], 1, -1);
    if (key) {
      recs[i * 5 + 4] = keys.length;
      keys.push(String(isScalar(node) ? (node.value ?? "") : node));
    }
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isPair(p)) continue;
        add(p.key, range[0], true);
        const k = p.key as Node | null;
        add(p.value, k?.range?.[1] ?? range[0], false);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) add(item, range[0], false);
    }
    recs[i * 5 + 3] = recs.length / 5 - i;
  };
  add(root, docEnd, false);
  return { nodes: new Int32Array(recs).buffer, keys };
}

const backend: YamlBackend = {
  parse(text, positions, maxDepth, maxAliasNodes) {
    const docs = yamlParse(text, { uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [docs];
    return list.map((doc): RawDocument => {
      const err = doc.errors[0];
      if (err) {
        const e = new SyntaxError(err.message.split("\n")[0]) as SyntaxError & {
          line?: number;
          column?: number;
          offset?: number;
        };
        e.line = err.linePos?.[0]?.line;
        e.column = err.linePos?.[0]?.col;
        e.offset = err.pos[0];
        throw e;
      }
      capAliases(doc, text, maxAliasNodes);
      const value = doc.toJS({ maxAliasCount: -1 }) ?? null;
      if (depthOf(value, maxDepth) > maxDepth) throw new RangeError("nesting deeper than maxDepth");
      const [start, , end] = doc.range;
      return { value, start, end, ...(positions ? table(doc.contents as Node | null, start) : {}) };
    });
  },
  stringify(value, maxDepth) {
    if (depthOf(value, maxDepth) > maxDepth)
      throw new RangeError(`value nested deeper than ${maxDepth} levels (or circular)`);
    return yamlStringify(value, {
      lineWidth: 0,
      indentSeq: false,
      flowCollectionPadding: false,
      aliasDuplicateObjects: false,
    });
  },
};

/**
 * The native parser's alias-bomb cap (capstan-yaml.c) on yaml's tree, so both builds refuse the
 * same documents at the same alias: every alias adds the node count of what it stands for (keys
 * and aliases inside it included); past maxAliasNodes in one document, a RangeError there.
 */
function capAliases(doc: Document.Parsed, text: string, maxAliasNodes: number): void {
  const sizes = new Map<unknown, number>();
  let total = 0;
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const n = sizes.get(node.resolve(doc)) ?? 1; // an anchor precedes its aliases
      total += n;
      if (total > maxAliasNodes) {
        const at = node.range?.[0] ?? 0;
        const before = text.slice(0, at);
        const e = new RangeError(
          "aliases expand to too many nodes (an alias bomb?); raise maxAliasNodes if this is intended",
        ) as RangeError & { line?: number; column?: number; offset?: number };
        e.line = before.split("\n").length;
        e.column = at - before.lastIndexOf("\n");
        e.offset = at;
        throw e;
      }
      return n;
    }
    let n = 1;
    if (isMap(node)) for (const p of node.items) n += size(p.key ?? null) + size(p.value ?? null);
    else if (isSeq(node)) for (const item of node.items) n += size(item);
    sizes.set(node, n);
    return n;
  };
  size(doc.contents);
}

function depthOf(v: unknown, limit: number, d = 0): number {
  if (d > limit || v === null || typeof v !== "object") return d;
  let max = d;
  for (const x of Object.values(v)) max = Math.max(max, depthOf(x, limit, d + 1));
  return max;
}

const yaml = yamlModule(backend, "unreachable");

export type { MergeOptions, ParseOptions, StringifyOptions, YamlModule, YamlNode, YamlPath } from "./api.js";
export { valueAt, YamlDocument, YamlEditor, YamlError } from "./api.js";
export const { parseAllDocuments, parse, stringify, edit } = yaml;
