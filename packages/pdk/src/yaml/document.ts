// A parsed YAML document: its plain value plus the positions of its nodes in the source text,
// found by path (`doc.node(["spec", "template", "metadata"])`). Positions come from a flat
// Int32 table the backend fills in one pass, so no per-node JS objects exist until asked for.
import {
  COLLECTION_STYLES,
  KINDS,
  NODE_END,
  NODE_INFO,
  NODE_KEY,
  NODE_SIZE,
  NODE_START,
  NODE_WIDTH,
  type RawDocument,
  SCALAR_STYLES,
} from "./backend.js";

/** A path into a document: map keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** Where a node is: UTF-16 offsets into the parsed text, and how it is written. */
export interface YamlNode {
  kind: (typeof KINDS)[number];
  /** Scalars: plain, single, double, literal, folded; collections: block or flow. */
  style: (typeof SCALAR_STYLES)[number] | (typeof COLLECTION_STYLES)[number];
  start: number;
  /** After the node's text (a scalar's last character; a flow collection's bracket). */
  end: number;
  /** The record index (for YamlDocument methods). */
  readonly index: number;
}

/** One document of a stream. */
export class YamlDocument {
  /** The document as plain data: objects, arrays, strings, numbers, booleans, null. */
  readonly value: unknown;
  /** UTF-16 offsets of the document in the parsed text. */
  readonly start: number;
  readonly end: number;
  private readonly table: Int32Array | null;
  private readonly keys: string[];

  constructor(
    /** The whole text the document was parsed from. */
    readonly text: string,
    raw: RawDocument,
  ) {
    this.value = raw.value;
    this.start = raw.start;
    this.end = raw.end;
    this.table = raw.nodes ? new Int32Array(raw.nodes) : null;
    this.keys = raw.keys ?? [];
  }

  /** Whether positions were recorded (parseAllDocuments with `positions: true`). */
  get hasPositions(): boolean {
    return this.table !== null && this.table.length > 0;
  }

  private at(i: number, slot: number): number {
    return (this.table as Int32Array)[i * NODE_WIDTH + slot] as number;
  }

  /** The node record `i` as an object. */
  nodeAt(i: number): YamlNode {
    const info = this.at(i, NODE_INFO);
    const kind = KINDS[info & 15] ?? "scalar";
    const styles: readonly string[] = kind === "map" || kind === "seq" ? COLLECTION_STYLES : SCALAR_STYLES;
    return {
      kind,
      style: (styles[info >> 4] ?? "plain") as YamlNode["style"],
      start: this.at(i, NODE_START),
      end: this.at(i, NODE_END),
      index: i,
    };
  }

  /** The root node, or undefined without positions. */
  root(): YamlNode | undefined {
    return this.hasPositions ? this.nodeAt(0) : undefined;
  }

  // The lookups below run per key and per path segment of every edit: integers only, no
  // allocation (QuickJS pays for every object), a YamlNode is made for the answer alone.

  /** The key record of `key` in map record `rec`, or -1. */
  private keyRecord(rec: number, key: string): number {
    const t = this.table as Int32Array;
    if ((t[rec * NODE_WIDTH + NODE_INFO] as number) % 16 !== 1) return -1;
    const stop = rec + (t[rec * NODE_WIDTH + NODE_SIZE] as number);
    for (let c = rec + 1; c < stop; ) {
      const k = t[c * NODE_WIDTH + NODE_KEY] as number;
      if (k >= 0 && this.keys[k] === key) return c;
      const v = c + (t[c * NODE_WIDTH + NODE_SIZE] as number);
      c = v + (t[v * NODE_WIDTH + NODE_SIZE] as number);
    }
    return -1;
  }

  /** The record at `seg` under record `rec` (a key of a map, an index of a sequence), or -1. */
  private childRecord(rec: number, seg: string | number): number {
    const t = this.table as Int32Array;
    if (typeof seg === "string") {
      const k = this.keyRecord(rec, seg);
      return k < 0 ? -1 : k + (t[k * NODE_WIDTH + NODE_SIZE] as number);
    }
    if ((t[rec * NODE_WIDTH + NODE_INFO] as number) % 16 !== 2) return -1;
    const stop = rec + (t[rec * NODE_WIDTH + NODE_SIZE] as number);
    let c = rec + 1;
    for (let i = 0; i < seg && c < stop; i++) c += t[c * NODE_WIDTH + NODE_SIZE] as number;
    return c < stop ? c : -1;
  }

  /** The key node and value node of `key` in a map node. */
  pair(map: YamlNode, key: string): { key: YamlNode; value: YamlNode } | undefined {
    if (!this.hasPositions) return undefined;
    const k = this.keyRecord(map.index, key);
    return k < 0 ? undefined : { key: this.nodeAt(k), value: this.nodeAt(k + this.at(k, NODE_SIZE)) };
  }

  /** The node at `path` (undefined when absent or without positions). */
  node(path: YamlPath): YamlNode | undefined {
    if (!this.hasPositions) return undefined;
    let rec = 0;
    for (const seg of path) {
      rec = this.childRecord(rec, seg);
      if (rec < 0) return undefined;
    }
    return this.nodeAt(rec);
  }

  /** Where a node's content really ends: block collections end at their last descendant. */
  contentEnd(node: YamlNode): number {
    const t = this.table as Int32Array;
    let rec = node.index;
    for (;;) {
      const info = t[rec * NODE_WIDTH + NODE_INFO] as number;
      const kind = info % 16;
      const size = t[rec * NODE_WIDTH + NODE_SIZE] as number;
      if ((kind !== 1 && kind !== 2) || info >> 4 === 1 || size === 1)
        return t[rec * NODE_WIDTH + NODE_END] as number;
      let key = -1;
      let last = -1;
      for (let c = rec + 1; c < rec + size; ) {
        key = kind === 1 ? c : -1;
        last = kind === 1 ? c + (t[c * NODE_WIDTH + NODE_SIZE] as number) : c;
        c = last + (t[last * NODE_WIDTH + NODE_SIZE] as number);
      }
      // an empty value (`labels:` with nothing after it) sits wherever the parser looked next
      const empty = t[last * NODE_WIDTH + NODE_START] === t[last * NODE_WIDTH + NODE_END];
      if (key >= 0 && empty && (t[last * NODE_WIDTH + NODE_INFO] as number) % 16 === 0)
        return t[key * NODE_WIDTH + NODE_END] as number;
      rec = last;
    }
  }
}
