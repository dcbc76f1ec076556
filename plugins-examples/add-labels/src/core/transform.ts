// The post-render transform over a multi-document YAML stream. The stream is parsed once by
// @capstan/pdk/yaml (libyaml in the engine's C inside the plugin; the `yaml` npm package when
// this file runs in Node) with node positions, and every change is a patch to the ORIGINAL
// text at those positions: comments, quoting, key order and document order survive, and a
// document the transform does not change comes out byte for byte.
//
// Where things go (kustomize's `labels: includeTemplates: true` and commonAnnotations):
// - labels and annotations: metadata of every object, and pod templates of workloads
//   (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job: spec.template;
//   CronJob: spec.jobTemplate and its spec.template). Items of `kind: List` too.
// - selectors only with includeSelectors, and only where a selector already exists
//   (selectors are immutable on existing workloads, so adding to them breaks upgrades).
// - StatefulSet volumeClaimTemplates are left alone (immutable as well).
// - images: containers, initContainers and ephemeralContainers of every pod spec.
import {
  edit,
  parseAllDocuments,
  valueAt,
  type YamlDocument,
  type YamlEditor,
  YamlError,
  type YamlPath,
} from "@capstan/pdk/yaml";
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

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

class DocEditor {
  changed = false;
  images = 0;
  private readonly stampPatch: Record<string, unknown> | null;
  constructor(
    private readonly doc: YamlDocument,
    private readonly editor: YamlEditor,
    private readonly opts: Options,
  ) {
    const meta: Record<string, unknown> = {};
    if (Object.keys(opts.labels).length) meta.labels = opts.labels;
    if (Object.keys(opts.annotations).length) meta.annotations = opts.annotations;
    this.stampPatch = Object.keys(meta).length ? { metadata: meta } : null;
  }

  private mapAt(path: YamlPath): Record<string, unknown> | null {
    const v = valueAt(this.doc.value, path);
    return isMap(v) ? v : null;
  }

  /** Adds labels and annotations to `<path>.metadata`; metadata reads best before spec. */
  private stamp(path: YamlPath): void {
    if (this.stampPatch && this.editor.merge(this.doc, path, this.stampPatch, { before: "spec" }))
      this.changed = true;
  }

  private podSpec(path: YamlPath): void {
    const spec = this.mapAt(path);
    if (!spec || this.opts.registries.length === 0) return;
    for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
      const list = spec[field];
      if (!Array.isArray(list)) continue;
      list.forEach((c: unknown, i) => {
        if (!isMap(c) || typeof c.image !== "string") return;
        const next = rewriteImage(c.image, this.opts.registries);
        const node = this.doc.node([...path, field, i, "image"]);
        if (next === c.image || node?.kind !== "scalar") return;
        this.editor.replaceScalar(node, next);
        this.changed = true;
        this.images++;
      });
    }
  }

  private template(path: YamlPath): void {
    if (!this.mapAt(path)) return;
    this.stamp(path);
    this.podSpec([...path, "spec"]);
  }

  private selector(path: YamlPath): void {
    if (this.mapAt(path) && this.editor.merge(this.doc, path, this.opts.labels)) this.changed = true;
  }

  /** Edits one Kubernetes object (a map with `kind`) at `path`; returns whether it was one. */
  resource(path: YamlPath): boolean {
    const obj = this.mapAt(path);
    const kind = obj?.kind;
    if (!obj || typeof kind !== "string") return false;
    if (kind === "List" || kind.endsWith("List")) {
      if (Array.isArray(obj.items))
        for (let i = 0; i < obj.items.length; i++) this.resource([...path, "items", i]);
      return true;
    }
    this.stamp(path);
    const spec = [...path, "spec"];
    if (!this.mapAt(spec)) return true;
    if (kind === "Pod") this.podSpec(spec);
    if (TEMPLATE_KINDS.has(kind)) this.template([...spec, "template"]);
    if (kind === "CronJob" && this.mapAt([...spec, "jobTemplate"])) {
      this.stamp([...spec, "jobTemplate"]);
      this.template([...spec, "jobTemplate", "spec", "template"]);
    }
    if (this.opts.includeSelectors) {
      if (kind === "Service") this.selector([...spec, "selector"]);
      if (SELECTOR_KINDS.has(kind)) this.selector([...spec, "selector", "matchLabels"]);
    }
    return true;
  }
}

/** Which document (1-based) holds `offset`: documents start at `---` lines. */
function documentAt(stream: string, offset: number): number {
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let n = 1;
  for (let m = marker.exec(stream); m !== null && m.index < offset; m = marker.exec(stream))
    if (m.index > 0 && stream.slice(0, m.index).trim() !== "") n++;
  return n;
}

/** Applies the options to every document of `manifests`; returns the new stream and stats. */
export function transformManifests(
  manifests: string,
  opts: Options,
): { manifests: string; stats: TransformStats } {
  const stats: TransformStats = { documents: 0, resources: 0, changed: 0, images: 0 };
  let docs: YamlDocument[];
  try {
    docs = parseAllDocuments(manifests, { positions: true });
  } catch (e) {
    if (!(e instanceof YamlError) || e.line === undefined) throw e;
    throw new ManifestSyntaxError(
      `document ${documentAt(manifests, e.offset ?? manifests.length)} (line ${e.line}, column ${e.column}): ${e.reason}`,
    );
  }
  const editor = edit(manifests);
  for (const doc of docs) {
    stats.documents++;
    const ed = new DocEditor(doc, editor, opts);
    if (ed.resource([])) stats.resources++;
    stats.images += ed.images;
    if (ed.changed) stats.changed++;
  }
  return { manifests: editor.toString(), stats };
}
