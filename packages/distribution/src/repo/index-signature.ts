// Signed indexes: `index.yaml.prov` beside index.yaml, in the .prov format of plugin tarballs
// (clearsigned SHA-512; metadata `kind: PluginRepositoryIndex`, `version: <generated>`; files:
// index.yaml -> sha256), so the signing rules are the ones of every .prov (keyring membership,
// expiry, revocation, no SHA-1/DSA, no future dates). A repository whose index was signed when
// it was added or first seen signed is pinned to that key: from then on an unsigned index, one
// signed by another key, or one older than the cached index (a rollback to a version list
// without a fix) is refused. Unsigned repositories stay usable: their tarballs' .prov files
// are still checked on install.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import type { Keyring, SigningKey } from "@capstan/signing";
import { parse } from "yaml";
import { InstallError } from "../errors.js";
import type { PluginIndex } from "./index-format.js";
import type { RepoConfigEntry } from "./repo-config.js";
import { writeAtomic } from "./write-atomic.js";

/** File name of the signature beside index.yaml. */
export const INDEX_PROV = "index.yaml.prov";
const KIND = "PluginRepositoryIndex";

/** The .prov text signing `indexBytes` (whose `generated` field is `generated`). */
async function signIndex(indexBytes: Uint8Array, generated: string, key: SigningKey): Promise<string> {
  const { createProvenance } = await import("@capstan/signing");
  return createProvenance({
    tarballBytes: indexBytes,
    fileName: "index.yaml",
    metadata: { apiVersion: "v1", kind: KIND, name: "index", version: generated },
    signingKey: key,
  });
}

/** Signs `<dir>/index.yaml` (as written by buildRepoIndex) into `<dir>/index.yaml.prov`. */
export async function writeIndexSignature(dir: string, key: SigningKey): Promise<string> {
  const bytes = readFileSync(join(dir, "index.yaml"));
  const generated = String((parse(bytes.toString("utf8")) as { generated?: unknown }).generated ?? "");
  const file = join(dir, INDEX_PROV);
  writeAtomic(file, await signIndex(bytes, generated, key));
  return file;
}

/** What a verified index signature says. */
export interface IndexSigner {
  fingerprint: string;
  userId: string;
}

/**
 * Checks a fetched index against its signature and the repository's pin, then parses it (the
 * signature is checked on the raw bytes first, so a tampered signed index is reported as
 * tampered). `signer` is undefined for an unsigned index of an unpinned repository.
 */
export async function verifyIndexSignature(args: {
  repo: RepoConfigEntry;
  text: string;
  provText: string | undefined;
  provLabel: string;
  keyring: () => Promise<Keyring>;
  /** Parses and checks the index text (index-format.ts). */
  parse: () => PluginIndex;
  /** `generated` of the cached index, for the rollback check. */
  cachedGenerated: string | undefined;
}): Promise<{ index: PluginIndex; signer?: IndexSigner }> {
  const { repo } = args;
  const refuse = (why: string, hint: string): never => {
    throw new InstallError("REPO_INDEX_SIGNATURE", `repository ${repo.name}: index.yaml ${why}`, {
      hint,
      exitCode: ExitCode.verification,
    });
  };
  if (args.provText === undefined) {
    if (repo.indexSigner === undefined) return { index: args.parse() };
    return refuse(
      `is not signed, but it was signed by ${repo.indexSigner} before`,
      `the signature was stripped or the repository stopped signing; if its owner confirms, re-add it: \`capstan plugin repo add ${repo.name} ${repo.url} --force-update\``,
    );
  }
  const { verifyProvenance } = await import("@capstan/signing");
  const result = await verifyProvenance({
    keyring: await args.keyring(),
    provText: args.provText,
    provLabel: args.provLabel,
    fileName: "index.yaml",
    sha256: createHash("sha256").update(args.text).digest("hex"),
  });
  const index = args.parse();
  const meta = result.metadata as { kind?: unknown; version?: unknown };
  if (meta.kind !== KIND || String(meta.version) !== index.generated) {
    refuse(
      `signature does not belong to this index (signed ${String(meta.kind)} generated ${String(meta.version)})`,
      "the repository owner must re-sign: `capstan plugin repo index <dir> --sign --key <k>`",
    );
  }
  const fingerprint = result.signer.fingerprint;
  if (repo.indexSigner !== undefined && repo.indexSigner !== fingerprint) {
    refuse(
      `is signed by ${result.signer.userId} (${fingerprint}), not by ${repo.indexSigner} as before`,
      `if the repository really changed its key, re-add it: \`capstan plugin repo add ${repo.name} ${repo.url} --force-update\``,
    );
  }
  if (repo.indexSigner !== undefined && args.cachedGenerated && index.generated < args.cachedGenerated) {
    refuse(
      `was generated ${index.generated}, before the cached index (${args.cachedGenerated}): a rollback`,
      "the repository serves an old index; retry later or tell its owner",
    );
  }
  return { index, signer: { fingerprint, userId: result.signer.userId } };
}
