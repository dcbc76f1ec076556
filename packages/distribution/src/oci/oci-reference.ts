// `oci://registry[:port]/repository[:tag][@digest]` references (the form Helm accepts).
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";

/** A parsed OCI reference. */
export interface OciReference {
  /** `host[:port]` */
  registry: string;
  /** Repository path, e.g. `plugins/hello`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** Last path segment of the repository: Helm 4 takes the plugin name from it. */
  name: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Parses an `oci://` reference; throws InstallError naming the bad part. */
export function parseOciReference(ref: string): OciReference {
  const bad = (why: string): never => {
    throw new InstallError("OCI_BAD_REFERENCE", `${ref}: ${why}`, {
      hint: "write it as oci://registry[:port]/repository[:tag], e.g. oci://ghcr.io/me/my-plugin:1.0.0",
      exitCode: ExitCode.usage,
    });
  };
  if (!ref.startsWith("oci://")) bad("not an oci:// reference");
  let rest = ref.slice("oci://".length);
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) bad(`digest ${digest} is not sha256:<64 hex>`);
  }
  const slash = rest.indexOf("/");
  if (slash <= 0) bad("no repository after the registry host");
  const registry = rest.slice(0, slash);
  let repository = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = repository.lastIndexOf(":");
  if (colon !== -1) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!TAG.test(tag)) bad(`tag ${tag} is not a valid OCI tag`);
  }
  if (!REPO.test(repository)) bad(`repository ${repository} is not a valid OCI repository name`);
  if (!/^[A-Za-z0-9.-]+(?::\d+)?$|^\[[0-9a-fA-F:]+\](?::\d+)?$/.test(registry))
    bad(`registry ${registry} is not host[:port]`);
  const name = repository.slice(repository.lastIndexOf("/") + 1);
  return { registry, repository, name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** OCI tags cannot hold `+`; Helm writes SemVer build metadata with `_` instead. */
export function versionToTag(version: string): string {
  return version.replace(/\+/g, "_");
}

/** The inverse of {@link versionToTag}. */
export function tagToVersion(tag: string): string {
  return tag.replace(/_/g, "+");
}
