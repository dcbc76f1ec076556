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

  /** Children of a collection: [key record, value record] for maps, [-1, item] for sequences. */
  children(node: YamlNode): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    if (node.kind !== "map" && node.kind !== "seq") return out;
    const stop = node.index + this.at(node.index, NODE_SIZE);
    for (let c = node.index + 1; c < stop; ) {
      if (node.kind === "map") {
        const v = c + this.at(c, NODE_SIZE);
        out.push([c, v]);
        c = v + this.at(v, NODE_SIZE);
      } else {
        out.push([-1, c]);
        c += this.at(c, NODE_SIZE);
      }
    }
    return out;
  }

  /** The key text of a key record. */
  keyOf(record: number): string | undefined {
    const k = this.at(record, NODE_KEY);
    return k >= 0 ? this.keys[k] : undefined;
  }

  /** The key node and value node of `key` in a map node. */
  pair(map: YamlNode, key: string): { key: YamlNode; value: YamlNode } | undefined {
    if (map.kind !== "map") return undefined;
    for (const [k, v] of this.children(map))
      if (this.keyOf(k) === key) return { key: this.nodeAt(k), value: this.nodeAt(v) };
    return undefined;
  }

  /** The node at `path` (undefined when absent or without positions). */
  node(path: YamlPath): YamlNode | undefined {
    let cur = this.root();
    for (const seg of path) {
      if (!cur) return undefined;
      if (typeof seg === "number") {
        const item = this.children(cur)[seg];
        cur = cur.kind === "seq" && item ? this.nodeAt(item[1]) : undefined;
      } else {
        cur = this.pair(cur, seg)?.value;
      }
    }
    return cur;
  }

  /** Where a node's content really ends: block collections end at their last descendant. */
  contentEnd(node: YamlNode): number {
    let cur = node;
    for (;;) {
      if ((cur.kind !== "map" && cur.kind !== "seq") || cur.style === "flow") return cur.end;
      const last = this.children(cur).pop();
      if (!last) return cur.end;
      const next = this.nodeAt(last[1]);
      // an empty value (`labels:` with nothing after it) sits wherever the parser looked next
      if (next.kind === "scalar" && next.start === next.end && last[0] >= 0) return this.nodeAt(last[0]).end;
      cur = next;
    }
  }
}
