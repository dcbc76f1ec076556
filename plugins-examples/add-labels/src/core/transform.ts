// The post-render transform over a multi-document YAML stream. Documents are edited through
// the `yaml` Document API, so comments, key order and document order survive; a document the
// transform does not change is written back byte for byte from its source.
//
// Where things go (kustomize's `labels: includeTemplates: true` and commonAnnotations):
// - labels and annotations: metadata of every object, and pod templates of workloads
//   (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job: spec.template;
//   CronJob: spec.jobTemplate and its spec.template). Items of `kind: List` too.
// - selectors only with includeSelectors, and only where a selector already exists
//   (selectors are immutable on existing workloads, so adding to them breaks upgrades).
// - StatefulSet volumeClaimTemplates are left alone (immutable as well).
// - images: containers, initContainers and ephemeralContainers of every pod spec.
import { Composer, CST, type Document, isMap, isScalar, isSeq, Parser, type YAMLMap } from "yaml";
import { rewriteImage } from "./image.js";
import type { Options } from "./options.js";

const TEMPLATE_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "Job",
]);
const SELECTOR_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

/** Bad input YAML; the message names the document and line. */
export class ManifestSyntaxError extends Error {
  override name = "ManifestSyntaxError";
}

/** Counts what a transform did, for logs and tests. */
export interface TransformStats {
  documents: number;
  resources: number;
  changed: number;
  images: number;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

class DocEditor {
  changed = false;
  images = 0;
  constructor(
    private readonly doc: Document,
    private readonly opts: Options,
  ) {}

  /** The map at `path` under `node`, created when missing or null. Null when it is not a map. */
  private mapAt(node: YAMLMap, path: string[], create: boolean): YAMLMap | null {
    let cur = node;
    for (const key of path) {
      const found = cur.get(key, true);
      if (isMap(found)) {
        cur = found;
        continue;
      }
      if (!create || (found !== undefined && !(isScalar(found) && found.value === null))) return null;
      const next = this.doc.createNode({}) as YAMLMap;
      // metadata reads best before spec, where kubectl and Helm charts put it.
      const specAt = cur.items.findIndex((p) => isScalar(p.key) && p.key.value === "spec");
      if (key === "metadata" && specAt >= 0 && found === undefined) {
        cur.items.splice(specAt, 0, this.doc.createPair(key, next));
      } else {
        cur.set(key, next);
      }
      this.changed = true;
      cur = next;
    }
    return cur;
  }

  private setAll(map: YAMLMap | null, values: Record<string, string>): void {
    if (!map) return;
    for (const [k, v] of Object.entries(values)) {
      const old = map.get(k, true);
      if (isScalar(old) && old.value === v) continue;
      if (isScalar(old)) old.value = v;
      else map.set(k, v);
      this.changed = true;
    }
  }

  /** Adds labels and annotations to `parent.metadata` (created only when there is something to add). */
  private stamp(parent: YAMLMap): void {
    if (Object.keys(this.opts.labels).length + Object.keys(this.opts.annotations).length === 0) return;
    const meta = this.mapAt(parent, ["metadata"], true);
    this.setAll(
      meta && Object.keys(this.opts.labels).length ? this.mapAt(meta, ["labels"], true) : null,
      this.opts.labels,
    );
    this.setAll(
      meta && Object.keys(this.opts.annotations).length ? this.mapAt(meta, ["annotations"], true) : null,
      this.opts.annotations,
    );
  }

  private podSpec(spec: YAMLMap | null): void {
    if (!spec || this.opts.registries.length === 0) return;
    for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
      const list = spec.get(field, true);
      if (!isSeq(list)) continue;
      for (const c of list.items) {
        if (!isMap(c)) continue;
        const image = c.get("image", true);
        if (!isScalar(image) || typeof image.value !== "string") continue;
        const next = rewriteImage(image.value, this.opts.registries);
        if (next !== image.value) {
          image.value = next;
          this.changed = true;
          this.images++;
        }
      }
    }
  }

  private template(tpl: YAMLMap | null): void {
    if (!tpl) return;
    this.stamp(tpl);
    this.podSpec(this.mapAt(tpl, ["spec"], false));
  }

  /** Edits one Kubernetes object (a map with `kind`); returns whether it was one. */
  resource(obj: YAMLMap): boolean {
    const kind = obj.get("kind");
    if (typeof kind !== "string") return false;
    if (kind === "List" || kind.endsWith("List")) {
      const items = obj.get("items", true);
      if (isSeq(items)) for (const it of items.items) if (isMap(it)) this.resource(it);
      return true;
    }
    this.stamp(obj);
    const spec = this.mapAt(obj, ["spec"], false);
    if (kind === "Pod") this.podSpec(spec);
    if (spec && TEMPLATE_KINDS.has(kind)) this.template(this.mapAt(spec, ["template"], false));
    if (spec && kind === "CronJob") {
      const jobTemplate = this.mapAt(spec, ["jobTemplate"], false);
      if (jobTemplate) {
        this.stamp(jobTemplate);
        const jobSpec = this.mapAt(jobTemplate, ["spec"], false);
        if (jobSpec) this.template(this.mapAt(jobSpec, ["template"], false));
      }
    }
    if (this.opts.includeSelectors && spec) {
      if (kind === "Service") this.setAll(this.mapAt(spec, ["selector"], false), this.opts.labels);
      if (SELECTOR_KINDS.has(kind))
        this.setAll(this.mapAt(spec, ["selector", "matchLabels"], false), this.opts.labels);
    }
    return true;
  }
}

/**
 * Splits a stream before each `---` document marker. A line starting with `---` followed by a
 * blank or the end of the line is always a marker in YAML (never scalar content), so this is
 * exact; parsing each document on its own keeps the work linear (QuickJS copies substrings,
 * and one parser over a multi-megabyte stream goes quadratic).
 */
export function splitDocuments(stream: string): { text: string; line: number }[] {
  const parts: { text: string; line: number }[] = [];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let line = 1;
  for (let m = marker.exec(stream); m !== null; m = marker.exec(stream)) {
    if (m.index === start) continue;
    const text = stream.slice(start, m.index);
    parts.push({ text, line });
    line += text.split("\n").length - 1;
    start = m.index;
  }
  if (start < stream.length || parts.length === 0) parts.push({ text: stream.slice(start), line });
  return parts;
}

/** Applies the options to every document of `manifests`; returns the new stream and stats. */
export function transformManifests(
  manifests: string,
  opts: Options,
): { manifests: string; stats: TransformStats } {
  const stats: TransformStats = { documents: 0, resources: 0, changed: 0, images: 0 };
  // Collect parts and join once: repeated `+=` on a growing string is quadratic in QuickJS.
  const out: string[] = [];
  for (const part of splitDocuments(manifests)) {
    for (const token of new Parser().parse(part.text)) {
      const source = CST.stringify(token);
      if (token.type !== "document") {
        out.push(source);
        continue;
      }
      stats.documents++;
      const composer = new Composer({ keepSourceTokens: false });
      const doc = [...composer.next(token), ...composer.end()][0];
      const err = doc?.errors[0];
      if (!doc || err) {
        const line = part.line + lineOf(part.text, err?.pos[0] ?? token.offset) - 1;
        throw new ManifestSyntaxError(
          `document ${stats.documents} (line ${line}): ${err?.message.split("\n")[0] ?? "cannot parse"}`,
        );
      }
      if (!isMap(doc.contents)) {
        out.push(source);
        continue;
      }
      const editor = new DocEditor(doc, opts);
      if (editor.resource(doc.contents)) stats.resources++;
      stats.images += editor.images;
      if (!editor.changed) {
        out.push(source);
        continue;
      }
      stats.changed++;
      // Go-style YAML layout (what Helm and kubectl print): no sequence indent, no folding.
      out.push(doc.toString({ lineWidth: 0, indentSeq: false, flowCollectionPadding: false }));
    }
  }
  return { manifests: out.join(""), stats };
}
