// Position-aware access to a parsed plugin.yaml. Every check goes through a Ctx so that each
// error and warning names the file, line, column and dotted key path of the node at fault.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { ManifestError } from "./manifest-error.js";
import type { ManifestWarning } from "./types.js";

/** One `key: value` of a YAML map, with its nodes for positions. */
export interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
  /** Dotted path of this entry (e.g. `runtimeConfig.memory.maxPages`). */
  path: string;
}

/** A node and its dotted path; `node` is null for `key:` with no value. */
export interface At {
  node: Node | null;
  /** Node to point at when `node` is null (usually the key). */
  anchor: Node | null;
  path: string;
}

/** Validation context for one file. */
export class Ctx {
  readonly warnings: ManifestWarning[] = [];
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly strict: boolean,
  ) {}

  /** 1-based line and column of a node (the anchor when the node is missing). */
  pos(at: At): { line?: number; column?: number } {
    // A missing top-level key points at the start of the document.
    const n = at.node ?? at.anchor ?? (this.doc.contents as Node | null);
    const offset = n?.range?.[0];
    if (offset === undefined) return {};
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** Throws a ManifestError at `at`. */
  fail(at: At, code: string, what: string, hint?: string): never {
    const fallback = `see docs/plugin-yaml.md${at.path ? ` for ${at.path.replace(/\[\d+\]/g, "[]")}` : ""}`;
    throw new ManifestError(
      code,
      what,
      { file: this.file, key: at.path || undefined, ...this.pos(at) },
      { hint: hint ?? fallback },
    );
  }

  /** Records a warning at `at`, or throws it as an error in strict mode. */
  warn(at: At, code: string, what: string, hint?: string): void {
    if (this.strict)
      this.fail(at, code, what, hint ?? "remove the key, or run without --strict to only warn");
    const { line = 0, column = 0 } = this.pos(at);
    const w = new ManifestError(code, what, { file: this.file, key: at.path, line, column });
    this.warnings.push({
      code,
      message: w.message,
      file: this.file,
      line,
      column,
      key: at.path,
      ...(hint ? { hint } : {}),
    });
  }

  /** Follows `*alias` references to the anchored node. */
  deref(node: Node | null): Node | null {
    let n: unknown = node;
    for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(this.doc) ?? null;
    return (n as Node | null) ?? null;
  }

  /** True for a missing value or an explicit `null`/`~`. */
  isNull(at: At): boolean {
    const n = this.deref(at.node);
    return n === null || (isScalar(n) && n.value === null);
  }

  /** The entries of a map (throws unless `at` is a map; null counts as an empty map). */
  entries(at: At, what = "a map"): Entry[] {
    if (this.isNull(at)) return [];
    const n = this.deref(at.node);
    if (!isMap(n)) this.fail(at, "invalid-value", `must be ${what}`);
    return n.items.map((pair) => {
      const keyNode = this.deref(pair.key as Node | null);
      if (!isScalar(keyNode)) {
        this.fail({ node: keyNode, anchor: n, path: at.path }, "invalid-key", "keys must be plain strings");
      }
      // YAML 1.1 reads keys such as `on`, `y` or `10` as booleans/numbers; use the text as written.
      const key =
        typeof keyNode.value === "string" ? keyNode.value : (keyNode.source ?? String(keyNode.value));
      const path = at.path ? `${at.path}.${key}` : key;
      return { key, keyNode, value: (pair.value as Node | null) ?? null, path };
    });
  }

  /** Entry as an `At` (the value node, anchored at the key). */
  at(e: Entry): At {
    return { node: e.value, anchor: e.keyNode, path: e.path };
  }

  /** The items of a sequence (null counts as empty). */
  items(at: At, what = "a list"): At[] {
    if (this.isNull(at)) return [];
    const n = this.deref(at.node);
    if (!isSeq(n)) this.fail(at, "invalid-value", `must be ${what}`);
    return n.items.map((item, i) => ({
      node: (item as Node | null) ?? null,
      anchor: n,
      path: `${at.path}[${i}]`,
    }));
  }

  /** A scalar as a string. Numbers keep their source text, as Helm's YAML-to-JSON step does. */
  string(at: At, what = "a string"): string {
    const n = this.deref(at.node);
    if (isScalar(n) && typeof n.value === "string") return n.value;
    if (isScalar(n) && (typeof n.value === "number" || typeof n.value === "bigint")) {
      return n.source ?? String(n.value);
    }
    return this.fail(at, "invalid-value", `must be ${what}`);
  }

  /** A non-empty string. */
  nonEmptyString(at: At, what = "a non-empty string"): string {
    const s = this.string(at, what);
    if (s.trim() === "") this.fail(at, "invalid-value", `must be ${what}`);
    return s;
  }

  /** A boolean (YAML 1.1 spellings such as `yes`/`on` count, as in Helm's parser). */
  boolean(at: At): boolean {
    const n = this.deref(at.node);
    if (isScalar(n) && typeof n.value === "boolean") return n.value;
    return this.fail(at, "invalid-value", "must be true or false");
  }

  /** The boolean value of a scalar, or undefined if it is not a boolean. */
  booleanOrUndefined(at: At): boolean | undefined {
    const n = this.deref(at.node);
    return isScalar(n) && typeof n.value === "boolean" ? n.value : undefined;
  }

  /** A non-negative integer. */
  integer(at: At, what: string): number {
    const n = this.deref(at.node);
    if (isScalar(n) && typeof n.value === "number" && Number.isSafeInteger(n.value) && n.value >= 0) {
      return n.value;
    }
    return this.fail(at, "invalid-value", `must be ${what}`);
  }

  /** A list of strings. */
  strings(at: At, what = "a list of strings", nonEmptyItems = false): string[] {
    return this.items(at, what).map((i) => (nonEmptyItems ? this.nonEmptyString(i) : this.string(i)));
  }

  /**
   * Reports keys not in `allowed`: as errors (`mode: "error"`) or warnings. `advice` gives a
   * better hint for keys that are known to be misplaced (e.g. a legacy key in a v1 file).
   */
  checkKeys(
    entries: Entry[],
    allowed: readonly string[],
    mode: "error" | "warn",
    where: string,
    advice: Readonly<Record<string, string>> = {},
  ): void {
    for (const e of entries) {
      if (allowed.includes(e.key)) continue;
      const at = { node: e.keyNode, anchor: e.keyNode, path: e.path };
      const near = closest(e.key, allowed);
      const known =
        allowed.length > 0 ? `known keys ${where}: ${allowed.join(", ")}` : `there are no keys ${where}`;
      const hint = Object.hasOwn(advice, e.key)
        ? advice[e.key]!
        : `${near ? `did you mean "${near}"? ` : ""}${known}`;
      if (mode === "error") this.fail(at, "unknown-key", "unknown key", hint);
      this.warn(at, "unknown-runtime-config-key", "unknown key, ignored (Helm ignores it too)", hint);
    }
  }
}

/** Picks the allowed key closest to a misspelled one (edit distance <= 2, case-insensitive). */
function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const o of options) {
    const d = distance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
