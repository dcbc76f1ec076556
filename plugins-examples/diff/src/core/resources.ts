// A manifest set: multi-document YAML -> Kubernetes resources keyed by identity
// (apiVersion group, kind, namespace, name), each normalized to YAML text for diffing.
// Comments, blank documents and document order do not matter; field order does not either
// for detecting equality (keys are sorted), only for display. YAML is `@capstan/pdk/yaml`:
// libyaml inside plugin.wasm (the `yaml` package in Node, for the unit tests).
import { parseAllDocuments, stringify, type YamlDocument, YamlError } from "@capstan/pdk/yaml";

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
  let docs: YamlDocument[];
  try {
    // aliases and nesting are capped by the module's defaults (alias bombs fail, naming the line)
    docs = parseAllDocuments(text);
  } catch (e) {
    if (e instanceof YamlError) throw new ManifestSetError(`${file}: ${e.message}`);
    throw e;
  }
  for (const [i, d] of docs.entries()) add(d.value, i + 1);
  return out;
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
  return stringify(sortKeys(obj));
}
