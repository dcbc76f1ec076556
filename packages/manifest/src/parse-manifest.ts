// plugin.yaml text -> validated, normalized PluginManifest. YAML is read as YAML 1.1 (what
// Helm's Go parser speaks: `yes`/`on` are booleans) with duplicate keys rejected.
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from "yaml";
import { ManifestError } from "./manifest-error.js";
import { normalizeLegacy } from "./normalize-legacy.js";
import { normalizeV1 } from "./normalize-v1.js";
import type { ManifestOptions, ParsedManifest } from "./types.js";
import { Ctx } from "./yaml-context.js";

/** Parses and validates plugin.yaml text; `file` is used in messages. Throws ManifestError. */
export function parseManifest(text: string, file: string, options: ManifestOptions = {}): ParsedManifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    version: "1.1",
    prettyErrors: false,
  });
  const err = doc.errors[0];
  if (err) throw yamlError(err.code, err.message, err.pos[0], err.pos[1], text, doc, lines, file);
  const ctx = new Ctx(file, doc, lines, options.strict === true);
  const root = { node: (doc.contents as Node | null) ?? null, anchor: null, path: "" };
  if (ctx.isNull(root)) {
    throw new ManifestError(
      "empty-manifest",
      "the file is empty",
      { file },
      {
        hint: "a plugin.yaml needs at least name and version; see docs/plugin-yaml.md",
      },
    );
  }
  if (!isMap(ctx.deref(root.node))) ctx.fail(root, "invalid-value", "the top level must be a map of keys");
  const entries = ctx.entries(root);
  const api = entries.find((e) => e.key === "apiVersion");
  const apiAt = api ? ctx.at(api) : undefined;
  const apiVersion = apiAt === undefined || ctx.isNull(apiAt) ? "" : ctx.string(apiAt);
  const raw = toPlain(doc, lines, file);
  if (apiVersion === "") return { manifest: normalizeLegacy(ctx, entries, raw), warnings: ctx.warnings };
  if (apiVersion === "v1") return { manifest: normalizeV1(ctx, entries, raw), warnings: ctx.warnings };
  return ctx.fail(
    apiAt!,
    "invalid-value",
    `unsupported apiVersion "${apiVersion}"`,
    "use apiVersion: v1 (Helm 4), or leave it out for a Helm 3 (legacy) plugin.yaml",
  );
}

function yamlError(
  code: string,
  message: string,
  start: number,
  end: number,
  text: string,
  doc: Document,
  lines: LineCounter,
  file: string,
): ManifestError {
  const { line, col } = lines.linePos(start);
  const firstLine = message.split("\n")[0]!.replace(/ at line \d+, column \d+.*$/, "");
  if (code === "DUPLICATE_KEY") {
    const key = keyPathAt(doc.contents as Node | null, start) ?? text.slice(start, end).trim();
    return new ManifestError(
      "duplicate-key",
      "duplicate key",
      { file, line, column: col, key },
      {
        hint: "each key may appear once per map; remove or merge the repeated one",
      },
    );
  }
  return new ManifestError(
    "yaml-syntax",
    `invalid YAML: ${firstLine}`,
    { file, line, column: col },
    {
      hint: "fix the YAML syntax (indent with spaces, quote values containing ': ' or '#')",
    },
  );
}

/** Dotted path of the map key whose node starts at `offset` (for duplicate-key messages). */
function keyPathAt(node: Node | null, offset: number, prefix = ""): string | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const name = isScalar(k) ? String(k.value) : "?";
      const path = prefix ? `${prefix}.${name}` : name;
      if (k?.range?.[0] === offset) return path;
      const inner = keyPathAt(pair.value as Node | null, offset, path);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const inner = keyPathAt(item as Node | null, offset, `${prefix}[${i}]`);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The document as plain JS; alias problems (unknown anchor, alias bombs) become ManifestErrors. */
function toPlain(doc: Document, lines: LineCounter, file: string): Record<string, unknown> {
  try {
    return doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    let offset: number | undefined;
    visit(doc, {
      Alias(_, alias) {
        if (alias.resolve(doc) === undefined) {
          offset = alias.range?.[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const { line, col } = lines.linePos(offset ?? 0);
    throw new ManifestError(
      "yaml-syntax",
      `invalid YAML: ${(e as Error).message}`,
      { file, line, column: col },
      {
        hint: "define each &anchor before its *alias, and keep aliases few (at most 100 expansions)",
        cause: e,
      },
    );
  }
}
