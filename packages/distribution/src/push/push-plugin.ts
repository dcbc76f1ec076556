// `capstan plugin push <tgz> oci://registry/repo[:tag]`: uploads the tarball and its .prov
// as layers titled by their file names under an artifact manifest of type
// application/vnd.helm.plugin.v1+json with the empty config, which is what Helm 4's plugin
// installer (and `oras push --artifact-type ...`) reads and writes.
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { ExitCode } from "@capstan/manifest";
import { readArchive } from "../archive/extract.js";
import { archiveLimits } from "../archive/limits.js";
import { InstallError } from "../errors.js";
import { archiveManifest } from "../install/plugin-root.js";
import { OciClient, type OciClientOptions, type OciManifest } from "../oci/oci-client.js";
import {
  OCI_EMPTY,
  OCI_LAYER_TAR,
  OCI_MANIFEST,
  PLUGIN_ARTIFACT_TYPE,
  TITLE_ANNOTATION,
} from "../oci/oci-media-types.js";
import { parseOciReference, versionToTag } from "../oci/oci-reference.js";

/** Result of a push. */
export interface PushResult {
  /** `oci://registry/repo:tag` */
  ref: string;
  /** Manifest digest. */
  digest: string;
  name: string;
  version: string;
  /** Whether a .prov was pushed. */
  signed: boolean;
}

/**
 * Pushes `<tgz>` (and `<tgz>.prov` when present). The repository gets `/<name>` appended
 * unless its last segment already is the plugin name (Helm's chart push rule), and the tag
 * defaults to the version (`+` written as `_`).
 */
export async function pushPlugin(
  tgzPath: string,
  target: string,
  options: OciClientOptions = {},
): Promise<PushResult> {
  const abs = resolve(tgzPath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    throw new InstallError("PUSH_NOT_FOUND", `cannot read ${abs}: ${(e as NodeJS.ErrnoException).code}`, {
      hint: "package the plugin first: `capstan plugin package <dir>`",
      exitCode: ExitCode.notFound,
    });
  }
  let prov: Buffer | undefined;
  try {
    prov = readFileSync(`${abs}.prov`);
  } catch {
    prov = undefined;
  }
  const { manifest } = archiveManifest(readArchive(bytes, abs, archiveLimits()), abs);
  const { name, version } = manifest;
  const fileName = `${name}-${version}.tgz`;
  if (basename(abs) !== fileName) {
    throw new InstallError(
      "PUSH_BAD_NAME",
      `${abs}: a plugin archive of ${name} ${version} must be named ${fileName}`,
      {
        hint: "Helm 4 finds the layer by this name; repackage with `capstan plugin package`",
        exitCode: ExitCode.usage,
      },
    );
  }
  const ref = parseOciReference(target);
  const repository = ref.name === name ? ref.repository : `${ref.repository}/${name}`;
  const tag = ref.tag ?? versionToTag(version);
  if (tag !== versionToTag(version)) {
    throw new InstallError(
      "PUSH_BAD_TAG",
      `${target}: the tag ${tag} differs from the plugin version ${version}`,
      {
        hint: `push without a tag (the version becomes the tag) or use :${versionToTag(version)}`,
        exitCode: ExitCode.usage,
      },
    );
  }
  const client = new OciClient(ref.registry, options);
  const empty = Buffer.from("{}");
  const config = {
    mediaType: OCI_EMPTY,
    digest: await client.pushBlob(repository, empty),
    size: empty.length,
  };
  const layers = [
    {
      mediaType: OCI_LAYER_TAR,
      digest: await client.pushBlob(repository, bytes),
      size: bytes.length,
      annotations: { [TITLE_ANNOTATION]: fileName },
    },
  ];
  if (prov) {
    layers.push({
      mediaType: OCI_LAYER_TAR,
      digest: await client.pushBlob(repository, prov),
      size: prov.length,
      annotations: { [TITLE_ANNOTATION]: `${fileName}.prov` },
    });
  }
  const ociManifest: OciManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: PLUGIN_ARTIFACT_TYPE,
    config,
    layers,
    annotations: { [TITLE_ANNOTATION]: name, "org.opencontainers.image.version": version },
  };
  const digest = await client.putManifest(repository, tag, ociManifest);
  return {
    ref: `oci://${ref.registry}/${repository}:${tag}`,
    digest,
    name,
    version,
    signed: prov !== undefined,
  };
}
