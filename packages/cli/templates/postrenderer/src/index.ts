// __NAME__: a postrenderer/v1 plugin. Drops empty documents and every document whose kind is
// named by `--drop-kind <Kind>` (repeatable) or by runtimeConfig.config.dropKinds, and keeps
// the others byte for byte. Manifests arrive as one multi-document YAML string.
import { definePostrenderer } from "@capstan/pdk";

/** Kinds to drop from the arguments (`--drop-kind K`, `--drop-kind=K`) and the config list. */
export function kindsToDrop(args: string[], configured: string | null): Set<string> {
  const kinds = new Set((configured ?? "").split(",").map((k) => k.trim()).filter((k) => k !== ""));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--drop-kind") {
      const k = args[++i];
      if (k === undefined) throw new Error("__NAME__: --drop-kind needs a kind, e.g. --drop-kind Secret");
      kinds.add(k);
    } else if (a.startsWith("--drop-kind=")) kinds.add(a.slice("--drop-kind=".length));
    else throw new Error(`__NAME__: unknown argument ${a} (usage: [--drop-kind Kind]...)`);
  }
  return kinds;
}

/** The top-level `kind:` of one YAML document, or undefined. */
function kindOf(doc: string): string | undefined {
  return /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(?:#.*)?$/m.exec(doc)?.[1];
}

/** True when a document holds nothing but comments and blank lines. */
function isEmpty(doc: string): boolean {
  return doc.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("#"));
}

/** The manifests without empty documents and without documents of the given kinds. */
export function filterManifests(manifests: string, drop: Set<string>): { text: string; dropped: number } {
  // Split before each `---` line, keeping the separator (and any `# Source:` comment) with its document.
  const docs = manifests.split(/^(?=---[ \t]*$)/m);
  const kept = docs.filter((d) => {
    const body = d.replace(/^---[ \t]*\n?/, "");
    if (isEmpty(body)) return false;
    const kind = kindOf(body);
    return kind === undefined || !drop.has(kind);
  });
  const text = kept.map((d) => (d.endsWith("\n") ? d : `${d}\n`)).join("");
  return { text, dropped: docs.length - kept.length };
}

export const helm_plugin_main = definePostrenderer(({ manifests, extraArgs, manifestsMissing }) => {
  if (manifestsMissing) {
    throw new Error("__NAME__: the host sent no manifests (Helm 4.2 bug, helm issue 31832); use Capstan or a fixed Helm");
  }
  const { text, dropped } = filterManifests(manifests, kindsToDrop(extraArgs, Config.get("dropKinds")));
  console.info(`__NAME__: dropped ${dropped} documents`);
  if (text.trim() === "") throw new Error("__NAME__: every document was dropped; nothing left to install");
  return text;
});
