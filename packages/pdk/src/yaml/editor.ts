// The edit path: changes to a parsed stream are written as patches to the ORIGINAL text at the
// positions the parser reported, so comments, quoting, blank lines and every document that is
// not touched come out byte for byte. New keys are emitted in the Go-YAML layout (stringify)
// and indented to the map they join; replaced scalars keep their quoting style when they can.
import type { YamlDocument, YamlNode, YamlPath } from "./document.js";
import { YamlError } from "./errors.js";

interface Patch {
  at: number;
  until: number;
  text: string;
  seq: number;
}

/** Options of YamlEditor.merge. */
export interface MergeOptions {
  /** New keys of a map go before this key when the map has it (e.g. metadata before spec). */
  before?: string;
}

type Plain = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl < 0 ? text.length : nl;
}

/** Collects patches to one text (a whole multi-document stream) and applies them at once. */
export class YamlEditor {
  private readonly patches: Patch[] = [];

  constructor(
    /** The text the documents were parsed from. */
    readonly text: string,
    private readonly stringify: (value: unknown) => string,
  ) {}

  /** Whether any patch was recorded. */
  get changed(): boolean {
    return this.patches.length > 0;
  }

  private patch(at: number, until: number, text: string): void {
    this.patches.push({ at, until, text, seq: this.patches.length });
  }

  /** A scalar's text for a value, in `style` when that can hold it. */
  scalarText(value: unknown, style: string): string {
    if (typeof value === "string" && style === "single" && !/[\n\r]/.test(value))
      return `'${value.replace(/'/g, "''")}'`;
    if (typeof value === "string" && style === "double") return JSON.stringify(value);
    const out = this.stringify(value).replace(/\n$/, "");
    return out.includes("\n") ? JSON.stringify(value) : out;
  }

  /** Replaces a scalar node's text by `value` (keeping single/double quoting). */
  replaceScalar(node: YamlNode, value: unknown): void {
    if (node.kind !== "scalar")
      throw new YamlError(`replaceScalar: the node at ${node.start} is a ${node.kind}`);
    this.patch(node.start, node.end, this.scalarText(value, node.style));
  }

  /** Block text of `entries` (a map) indented by `indent`, lines without the final newline. */
  private block(entries: Plain, indent: number): string {
    const pad = " ".repeat(indent);
    return this.stringify(entries)
      .replace(/\n$/, "")
      .split("\n")
      .map((l) => (l ? pad + l : l))
      .join("\n");
  }

  /** Adds `entries` to the map node `map` of `doc` (keys it lacks; no checks). */
  private addToMap(doc: YamlDocument, map: YamlNode, entries: Plain, opts: MergeOptions): void {
    if (map.style === "flow") {
      const close = map.end - 1;
      const inner = this.text.slice(map.start + 1, close).trim();
      const items = Object.entries(entries).map(
        ([k, v]) =>
          `${this.scalarText(k, "plain")}: ${isPlainObject(v) || Array.isArray(v) ? JSON.stringify(v) : this.scalarText(v, "plain")}`,
      );
      const sep = inner === "" || inner.endsWith(",") ? (inner === "" ? "" : " ") : ", ";
      this.patch(close, close, sep + items.join(", "));
      return;
    }
    const indent = columnOf(this.text, map.start);
    const before = opts.before === undefined ? undefined : doc.pair(map, opts.before);
    const lineStart = before ? before.key.start - columnOf(this.text, before.key.start) : 0;
    // (not when the key shares its line with a `- ` or a parent key)
    if (before && this.text.slice(lineStart, before.key.start).trim() === "") {
      const at = lineStart;
      this.patch(at, at, `${this.block(entries, indent)}\n`);
      return;
    }
    const end = doc.contentEnd(map);
    const at = this.text[end - 1] === "\n" ? end - 1 : lineEnd(this.text, end);
    this.patch(at, at, `\n${this.block(entries, indent)}`);
  }

  /**
   * Merges `patch` (nested plain objects) into the map at `path` of `doc`: missing keys are
   * added, scalars that differ are replaced, nested objects merge into existing maps, and an
   * empty or null value becomes the map. Keys whose node has another shape (a list where the
   * patch has a map) are left alone. Returns whether anything changed.
   */
  merge(doc: YamlDocument, path: YamlPath, patch: Plain, opts: MergeOptions = {}): boolean {
    const node = doc.node(path);
    if (!node) throw new YamlError(`merge: no node at ${JSON.stringify(path)} (parse with positions: true)`);
    return this.mergeInto(doc, node, valueAt(doc.value, path), patch, opts);
  }

  private mergeInto(
    doc: YamlDocument,
    map: YamlNode,
    value: unknown,
    patch: Plain,
    opts: MergeOptions,
  ): boolean {
    if (map.kind !== "map") return false;
    const current = isPlainObject(value) ? value : {};
    const missing: Plain = {};
    let changed = false;
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      const pair = doc.pair(map, k);
      if (!pair) {
        missing[k] = v;
        continue;
      }
      const old = current[k];
      if (isPlainObject(v)) {
        if (pair.value.kind === "map") changed = this.mergeInto(doc, pair.value, old, v, opts) || changed;
        else if (old === null && pair.value.kind === "scalar") {
          this.nullToMap(map, pair.key, pair.value, v);
          changed = true;
        }
        continue;
      }
      if (pair.value.kind !== "scalar" || Object.is(old, v)) continue;
      if (pair.value.start === pair.value.end) {
        // `key:` with nothing after it: the value goes right after the colon
        const at = this.text.indexOf(":", pair.key.end) + 1;
        this.patch(at, at, ` ${this.scalarText(v, "plain")}`);
      } else this.replaceScalar(pair.value, v);
      changed = true;
    }
    if (Object.keys(missing).length > 0) {
      this.addToMap(doc, map, missing, opts);
      changed = true;
    }
    return changed;
  }

  /** `key:` (empty, `~` or `null`) becomes `key:` followed by a block map of `entries`. */
  private nullToMap(map: YamlNode, key: YamlNode, value: YamlNode, entries: Plain): void {
    if (map.style === "flow") {
      // inside `{...}` the new map is written in flow style too (JSON is valid flow YAML)
      const at = value.end > value.start ? value.start : this.text.indexOf(":", key.end) + 1;
      this.patch(
        at,
        value.end > value.start ? value.end : at,
        `${at === value.start ? "" : " "}${JSON.stringify(entries)}`,
      );
      return;
    }
    if (value.end > value.start) this.patch(value.start, value.end, "");
    const at = lineEnd(this.text, Math.max(key.end, value.end));
    this.patch(at, at, `\n${this.block(entries, columnOf(this.text, key.start) + 2)}`);
  }

  /** The text with every patch applied (the original text when there is none). */
  toString(): string {
    if (this.patches.length === 0) return this.text;
    const sorted = [...this.patches].sort((a, b) => a.at - b.at || a.seq - b.seq);
    const parts: string[] = [];
    let pos = 0;
    for (const p of sorted) {
      if (p.at < pos) throw new YamlError(`overlapping edits at offset ${p.at}`);
      parts.push(this.text.slice(pos, p.at), p.text);
      pos = p.until;
    }
    parts.push(this.text.slice(pos));
    return parts.join("");
  }
}

/** The plain value at `path` (undefined when absent). */
export function valueAt(value: unknown, path: YamlPath): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}
