// A manifest set: multi-document YAML -> Kubernetes resources keyed by identity
// (apiVersion group, kind, namespace, name), each normalized to YAML text for diffing.
// Comments, blank documents and document order do not matter; field order does not either
// for detecting equality (keys are sorted), only for display.
import { parseAllDocuments, stringify } from "yaml";

/** One resource of a set. */
export interface Resource {
  /** `group/kind/namespace/name`; group is "" for the core API ("v1"). */
  key: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** The parsed object. */
  object: Record<string, unknown>;
}

/** A problem with the input; names the file and the document. */
export class ManifestSetError extends Error {
  override name = "ManifestSetError";
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ""). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf("/");
  return i < 0 ? "" : apiVersion.slice(0, i);
}

/** Parses a manifest set; `file` names it in errors. Lists (`kind: List`) are flattened. */
export function parseManifestSet(text: string, file: string, defaultNamespace = ""): Map<string, Resource> {
  const out = new Map<string, Resource>();
  const add = (obj: unknown, doc: number): void => {
    if (obj === null || obj === undefined) return;
    if (!isObj(obj)) throw new ManifestSetError(`${file}: document ${doc} is not a mapping`);
    const kind = obj.kind;
    if (typeof kind === "string" && kind.endsWith("List") && Array.isArray(obj.items)) {
      for (const item of obj.items) add(item, doc);
      return;
    }
    const meta = isObj(obj.metadata) ? obj.metadata : {};
    const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
    const name =
      typeof meta.name === "string"
        ? meta.name
        : typeof meta.generateName === "string"
          ? `${meta.generateName}*`
          : "";
    if (typeof kind !== "string" || !apiVersion || !name) {
      throw new ManifestSetError(
        `${file}: document ${doc} is not a Kubernetes resource (needs apiVersion, kind and metadata.name)`,
      );
    }
    const namespace = typeof meta.namespace === "string" ? meta.namespace : defaultNamespace;
    const key = `${groupOf(apiVersion)}/${kind}/${namespace}/${name}`;
    if (out.has(key))
      throw new ManifestSetError(`${file}: ${describe({ kind, namespace, name, apiVersion })} appears twice`);
    out.set(key, { key, apiVersion, kind, namespace, name, object: obj });
  };
  let index = 0;
  for (const part of splitDocuments(text)) {
    const docs = parseAllDocuments(part);
    for (const d of Array.isArray(docs) ? docs : [docs]) {
      index++;
      const err = d.errors[0];
      if (err) throw new ManifestSetError(`${file}: document ${index}: ${err.message.split("\n")[0]}`);
      add(d.toJS({ maxAliasCount: 100 }), index);
    }
  }
  return out;
}

/**
 * Splits a stream before each `---` marker (a line starting with `---` and a blank is always a
 * document marker in YAML). Parsing documents one by one keeps the work linear in QuickJS,
 * which copies substrings: one parser over a large stream goes quadratic.
 */
export function splitDocuments(stream: string): string[] {
  const parts: string[] = [];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let m = marker.exec(stream); m !== null; m = marker.exec(stream)) {
    if (m.index === start) continue;
    parts.push(stream.slice(start, m.index));
    start = m.index;
  }
  if (start < stream.length || parts.length === 0) parts.push(stream.slice(start));
  return parts;
}

/** `namespace, name, Kind (group)` as helm-diff prints it. */
export function describe(r: Pick<Resource, "kind" | "namespace" | "name" | "apiVersion">): string {
  const group = groupOf(r.apiVersion);
  return `${r.namespace ? `${r.namespace}, ` : ""}${r.name}, ${r.kind}${group ? ` (${group})` : ""}`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}

/** Canonical YAML of an object (sorted keys), used for comparison and display. */
export function canonicalYaml(obj: unknown): string {
  return stringify(sortKeys(obj), { lineWidth: 0, indentSeq: false });
}
