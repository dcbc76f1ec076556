// Installers accept plugin.yaml at the archive root or one directory down (Helm 4's rule);
// this finds it among checked archive members.
import { ExitCode, type ParsedManifest, parseManifest } from "@capstan/manifest";
import type { ArchiveMember } from "../archive/extract.js";
import { InstallError } from "../errors.js";

/** The plugin's directory inside the archive ("" for the root) and its parsed manifest. */
export function archiveManifest(
  members: readonly ArchiveMember[],
  label: string,
): ParsedManifest & { root: string; text: string } {
  const candidates = members.filter((m) => m.type === "file" && /^(?:[^/]+\/)?plugin\.yaml$/.test(m.path));
  const atRoot = candidates.find((m) => m.path === "plugin.yaml");
  const chosen = atRoot ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (chosen === undefined) {
    throw new InstallError(
      "INSTALL_NO_MANIFEST",
      candidates.length === 0
        ? `${label}: no plugin.yaml at the archive root or one directory down`
        : `${label}: several plugin.yaml files one directory down (${candidates.map((m) => m.path).join(", ")})`,
      { hint: "package a single plugin with `capstan plugin package <dir>`", exitCode: ExitCode.manifest },
    );
  }
  const root = chosen.path === "plugin.yaml" ? "" : chosen.path.slice(0, -"/plugin.yaml".length);
  const text = chosen.data.toString("utf8");
  return { ...parseManifest(text, `${label}:${chosen.path}`), root, text };
}
