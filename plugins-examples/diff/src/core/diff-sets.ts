// The resource-aware diff of two manifest sets (the core of helm-diff): resources are matched
// by identity, and each added, removed or changed one gets a unified diff of its YAML.
import { diffLines, type Edit, hunks } from "./line-diff.js";
import { canonicalYaml, describe, type Resource } from "./resources.js";

/** How to print. */
export interface DiffOptions {
  /** Unchanged lines around each change; default 3. */
  context?: number;
  /** ANSI colours; default false. */
  color?: boolean;
  /** Print Secret data in clear; default false (values are masked, changes still shown). */
  showSecrets?: boolean;
}

/** The result: printable text and counts. `differs` decides the exit code. */
export interface DiffResult {
  text: string;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  differs: boolean;
}

const ANSI = {
  bold: "\x1b[1m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
  reset: "\x1b[0m",
};

/** Masks Secret data/stringData; on the new side, a value that differs from the old one says so. */
function maskSecret(
  obj: Record<string, unknown>,
  old: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (obj.kind !== "Secret") return obj;
  const out: Record<string, unknown> = { ...obj };
  for (const field of ["data", "stringData"]) {
    const data = obj[field];
    if (typeof data !== "object" || data === null) continue;
    const theirs = (old?.[field] ?? {}) as Record<string, unknown>;
    out[field] = Object.fromEntries(
      Object.entries(data as Record<string, unknown>).map(([k, v]) => [
        k,
        old && k in theirs && theirs[k] !== v ? "(redacted, changed)" : "(redacted)",
      ]),
    );
  }
  return out;
}

/** Diffs two sets (from parseManifestSet). */
export function diffSets(
  before: Map<string, Resource>,
  after: Map<string, Resource>,
  opts: DiffOptions = {},
): DiffResult {
  const c = opts.color ? ANSI : { bold: "", red: "", green: "", yellow: "", cyan: "", reset: "" };
  const context = opts.context ?? 3;
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const parts: string[] = [];
  const result: DiffResult = { text: "", added: 0, removed: 0, changed: 0, unchanged: 0, differs: false };
  const show = (r: Resource, old: Resource | undefined): string[] => {
    const obj = opts.showSecrets ? r.object : maskSecret(r.object, old?.object);
    return canonicalYaml(obj).replace(/\n$/, "").split("\n");
  };
  const line = (e: Edit): string => {
    const colour = e.op === "-" ? c.red : e.op === "+" ? c.green : "";
    return `${colour}${e.op}${e.line}${colour ? c.reset : ""}`;
  };
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a && b && canonicalYaml(a.object) === canonicalYaml(b.object)) {
      result.unchanged++;
      continue;
    }
    const r = (b ?? a) as Resource;
    const status = !a ? "has been added" : !b ? "has been removed" : "has changed";
    if (!a) result.added++;
    else if (!b) result.removed++;
    else result.changed++;
    const edits = diffLines(a ? show(a, undefined) : [], b ? show(b, a) : []);
    const body = hunks(edits, context).flatMap((h) => [
      `${c.cyan}${h.header}${c.reset}`,
      ...h.edits.map(line),
    ]);
    parts.push(`${c.bold}${c.yellow}${describe(r)} ${status}:${c.reset}`, ...body, "");
  }
  result.differs = result.added + result.removed + result.changed > 0;
  const summary = result.differs
    ? `${result.changed} changed, ${result.added} added, ${result.removed} removed, ${result.unchanged} unchanged`
    : `no differences (${result.unchanged} resources)`;
  result.text = `${parts.join("\n")}${parts.length ? "\n" : ""}${summary}\n`;
  return result;
}
