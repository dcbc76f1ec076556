// A plugin in an OCI registry, stored the way Helm 4 reads it: a manifest with artifactType
// application/vnd.helm.plugin.v1+json whose layers are titled <name>-<version>.tgz and
// <name>-<version>.tgz.prov, <name> being the last segment of the repository.
import { ExitCode } from "@capstan/manifest";
import semver from "semver";
import { InstallError } from "../errors.js";
import { OciClient, type OciClientOptions } from "../oci/oci-client.js";
import { PLUGIN_ARTIFACT_TYPE, TITLE_ANNOTATION } from "../oci/oci-media-types.js";
import { parseOciReference, tagToVersion, versionToTag } from "../oci/oci-reference.js";
import type { FetchedArchive } from "./fetched.js";

/** Options of fetchOci. */
export interface OciFetchOptions extends OciClientOptions {
  /** A version or SemVer constraint, used when the reference has no tag. */
  version?: string;
  maxBytes: number;
}

/** Resolves the tag (reference tag, --version, or the highest SemVer tag) and pulls tgz + prov. */
export async function fetchOci(source: string, options: OciFetchOptions): Promise<FetchedArchive> {
  const ref = parseOciReference(source);
  const client = new OciClient(ref.registry, options);
  let reference = ref.digest ?? ref.tag;
  if (reference === undefined) {
    if (options.version !== undefined && semver.valid(options.version))
      reference = versionToTag(options.version);
    else reference = await highestTag(client, ref.repository, options.version, source);
  } else if (ref.tag !== undefined && options.version !== undefined && semver.valid(options.version)) {
    if (versionToTag(options.version) !== ref.tag) {
      throw new InstallError(
        "INSTALL_BAD_VERSION",
        `${source}: the tag ${ref.tag} and --version ${options.version} disagree`,
        {
          exitCode: ExitCode.usage,
          hint: "give the version either in the reference or with --version",
        },
      );
    }
  }
  const { manifest, digest } = await client.getManifest(ref.repository, reference);
  const where = `oci://${ref.registry}/${ref.repository}:${reference}`;
  // OCI 1.1 artifacts carry artifactType; OCI 1.0-style ones (older ORAS) put the type in the
  // config media type instead. Either way it must be the plugin type: a chart or image whose
  // layers happen to be titled like a plugin archive is still not a plugin.
  const artifactType = manifest.artifactType ?? manifest.config?.mediaType;
  if (artifactType !== PLUGIN_ARTIFACT_TYPE) {
    throw new InstallError(
      "OCI_NOT_A_PLUGIN",
      `${where} is a ${artifactType}, not a plugin (${PLUGIN_ARTIFACT_TYPE})`,
      {
        hint: "check the reference; charts and images cannot be installed as plugins",
      },
    );
  }
  const titled = (suffix: string) =>
    manifest.layers.find((l) => {
      const title = l.annotations?.[TITLE_ANNOTATION] ?? "";
      return title.startsWith(`${ref.name}-`) && title.endsWith(suffix) && !title.includes("/");
    });
  const tgz = titled(".tgz");
  if (!tgz) {
    throw new InstallError("OCI_NOT_A_PLUGIN", `${where} has no layer titled ${ref.name}-<version>.tgz`, {
      hint: "push plugins with `capstan plugin push <tgz> oci://...`; the repository's last segment must be the plugin name",
    });
  }
  const provDesc = titled(".tgz.prov");
  const bytes = await client.getBlob(ref.repository, tgz, options.maxBytes);
  const prov = provDesc
    ? (await client.getBlob(ref.repository, provDesc, 1024 * 1024)).toString("utf8")
    : undefined;
  const fileName = tgz.annotations![TITLE_ANNOTATION]!;
  return {
    kind: "oci",
    source: `oci://${ref.registry}/${ref.repository}`,
    fileName,
    bytes,
    prov,
    provLabel: `${where} layer ${fileName}.prov`,
    version: ref.digest ? digest : tagToVersion(reference),
  };
}

async function highestTag(
  client: OciClient,
  repository: string,
  constraint: string | undefined,
  source: string,
): Promise<string> {
  const tags = await client.listTags(repository);
  const versions = new Map<string, string>();
  for (const t of tags) {
    const v = semver.valid(tagToVersion(t));
    if (v) versions.set(v, t);
  }
  const all = [...versions.keys()];
  const best =
    constraint === undefined
      ? semver.rsort(all.filter((v) => semver.prerelease(v) === null))[0]
      : (semver.maxSatisfying(all, constraint) ?? undefined);
  if (best === undefined) {
    throw new InstallError(
      "INSTALL_VERSION_NOT_FOUND",
      `${source}: no tag ${constraint ? `satisfies ${constraint}` : "is a SemVer version"} (tags: ${tags.join(", ") || "none"})`,
      {
        hint: "give the tag in the reference (oci://host/repo:1.2.3) or with --version",
        exitCode: ExitCode.notFound,
      },
    );
  }
  return versions.get(best)!;
}
