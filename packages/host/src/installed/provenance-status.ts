// The PROVENANCE column of `capstan plugin list`: re-checks an installed plugin against the
// keyring now. Archive installs keep the verified .prov, so its signature is verified again
// (a key revoked or expired since install shows up); every install checks that the files the
// verified source delivered are unchanged and that plugin.yaml still names the signed plugin.
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadedPlugin } from "@capstan/manifest";
import type { Keyring, ProvenanceStatus } from "@capstan/signing";
import {
  type InstallRecord,
  type ProvenanceRecord,
  RECORD_PROV_FILE,
  readInstallRecord,
  sha256Hex,
} from "./install-record.js";

/**
 * Provenance of an installed plugin: the signing package's statuses, local dev links, and
 * `verified-at-install`: the signer recorded when the install verified it, shown when there
 * is no keyring to check it again (the files are still checked against the record).
 */
export type PluginProvenance =
  | ProvenanceStatus
  | { status: "local"; reason: string }
  | { status: "verified-at-install"; signer: string; keyId: string; installedAt: string };

/** The unknown-key code for "no keyring could be loaded" (not "the keyring lacks the key"). */
const NO_KEYRING = "NO_KEYRING";

/** Options of {@link provenanceStatus}. */
export interface ProvenanceStatusOptions {
  /**
   * The keyring was not chosen by the user (no `--keyring`, no $CAPSTAN_KEYRING): when there
   * is none, or it lacks the signer, show the result verified at install instead of "unknown
   * key" (that keyring says nothing about an install verified against another one). A
   * revoked or expired signer in it still shows as invalid.
   */
  fallbackToRecord?: boolean;
}

/** Classifies an installed plugin; never throws. `keyring` undefined: none could be loaded. */
export async function provenanceStatus(
  loaded: LoadedPlugin,
  keyring: Keyring | undefined,
  options: ProvenanceStatusOptions = {},
): Promise<PluginProvenance> {
  let record: ReturnType<typeof readInstallRecord>;
  try {
    record = readInstallRecord(loaded.dir);
  } catch (e) {
    return { status: "invalid", code: "RECORD_INVALID", reason: (e as Error).message };
  }
  if (record === undefined || record.kind === "dir") {
    if (record?.kind === "dir" || isLink(loaded.dir))
      return { status: "local", reason: "linked directory (development mode)" };
    return { status: "unsigned", code: "NO_RECORD", reason: "not installed by capstan: origin unknown" };
  }
  const p = record.provenance;
  if (p === null)
    return {
      status: "unsigned",
      code: "NOT_VERIFIED",
      reason: `installed from ${record.source} without verification`,
    };
  const { version } = loaded.manifest;
  if (record.version !== version) {
    return {
      status: "mismatched",
      code: "VERSION_CHANGED",
      reason: `signed version ${record.version}, plugin.yaml says ${version}`,
      keyId: p.keyId,
    };
  }
  for (const [file, hex] of Object.entries(record.files ?? {})) {
    let now: string;
    try {
      now = sha256Hex(readFileSync(join(loaded.dir, file)));
    } catch {
      now = "missing";
    }
    if (now !== hex) {
      return {
        status: "mismatched",
        code: "FILES_CHANGED",
        reason: `${file} differs from the verified source`,
        keyId: p.keyId,
      };
    }
  }
  const recorded: PluginProvenance = {
    status: "verified-at-install",
    signer: p.signer,
    keyId: p.keyId,
    installedAt: record.installedAt,
  };
  const now: ProvenanceStatus =
    keyring === undefined
      ? {
          status: "unknown-key",
          keyId: p.keyId,
          code: NO_KEYRING,
          reason: "no keyring to check the signer against",
        }
      : await recheck(loaded, record, p, keyring);
  return now.status === "unknown-key" && options.fallbackToRecord ? recorded : now;
}

/** Verifies the kept .prov (archives) or the signer key (git tags) against `keyring` now. */
async function recheck(
  loaded: LoadedPlugin,
  record: InstallRecord,
  p: ProvenanceRecord,
  keyring: Keyring,
): Promise<ProvenanceStatus> {
  const { name, version } = loaded.manifest;
  const signing = await import("@capstan/signing");
  let provText: string | undefined;
  try {
    provText = readFileSync(join(loaded.dir, RECORD_PROV_FILE), "utf8");
  } catch {
    provText = undefined;
  }
  if (provText !== undefined && record.fileName && p.hash.startsWith("sha256:")) {
    return signing.classifyProvenance(() =>
      signing.verifyProvenance({
        keyring,
        provText: provText!,
        provLabel: join(loaded.dir, RECORD_PROV_FILE),
        fileName: record.fileName!,
        sha256: p.hash.slice("sha256:".length),
        expected: { name, version },
      }),
    );
  }
  if (provText === undefined && record.kind !== "git") {
    return {
      status: "invalid",
      code: "PROV_COPY_MISSING",
      reason: `${join(loaded.dir, RECORD_PROV_FILE)} (the verified .prov kept at install) is missing`,
      keyId: p.keyId,
    };
  }
  // Signed git tags: the signature was checked at install; the signer must still be in the
  // keyring and neither expired nor revoked now (the same check the install made).
  return signing.classifyProvenance(async () => ({
    signer: await signing.checkSignerKey(keyring, p.keyId, {
      subject: `${record.source} ${record.ref ?? "checkout"}`,
    }),
    hash: p.hash,
    metadata: { name, version },
    fileName: record.ref ?? "",
    signedAt: new Date(record.installedAt),
  }));
}

/**
 * Short PROVENANCE column text: `local dev`, `keyring missing (<key id>)` (no keyring could be
 * loaded: the key may well be known, the keyring is what is missing), or the signing package's
 * description. docs/distribution.md lists every form (a test checks the list).
 */
export async function describePluginProvenance(s: PluginProvenance): Promise<string> {
  if (s.status === "local") return "local dev";
  if (s.status === "verified-at-install") return `signed (${s.signer}), verified at install`;
  if (s.status === "unknown-key" && s.code === NO_KEYRING) return `keyring missing (${s.keyId})`;
  const { describeProvenance } = await import("@capstan/signing");
  return describeProvenance(s);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
