// Public data shapes of @capstan/signing, shared by the library, the bin and @capstan/host.
import type { Key, PrivateKey } from "openpgp";

/** Keys loaded from GnuPG binary keyrings and/or ASCII-armored files, merged by fingerprint. */
export interface Keyring {
  /** Public keys and secret keys (a secret key also serves as its public key). */
  readonly keys: readonly Key[];
  /** Files the keys were read from, for messages. */
  readonly sources: readonly string[];
}

/** Who signed: the primary key's user ID and fingerprint, and the id of the key that signed. */
export interface SignerInfo {
  /** Primary user ID, e.g. `Jane Doe <jane@example.com>`. */
  userId: string;
  /** Primary key fingerprint, uppercase hex. */
  fingerprint: string;
  /** 16-hex-digit id of the (sub)key that made the signature, uppercase. */
  keyId: string;
}

/** What a tarball packages: a plugin (plugin.yaml) or a Helm chart (Chart.yaml). */
export type PackageKind = "plugin" | "chart";

/** Name and version the caller expects (from the archive's plugin.yaml or Chart.yaml). */
export interface ExpectedPlugin {
  name: string;
  version: string;
  /** Default "plugin"; names the metadata file in messages. */
  kind?: PackageKind;
}

/** Result of a successful verification. */
export interface VerifyResult {
  signer: SignerInfo;
  /** Digest of the tarball as listed in the .prov, `sha256:<hex>`. */
  hash: string;
  /** The signed metadata (the YAML document before `...`: plugin.yaml or Chart.yaml). */
  metadata: Record<string, unknown>;
  /** Plugin or chart: the kind of the tarball checked (absent or "plugin" for plugins). */
  kind?: PackageKind;
  /** Tarball base name the digest was looked up by. */
  fileName: string;
  /** Signature creation time. */
  signedAt: Date;
}

/** Options shared by the verify entry points. */
export interface VerifyOptions {
  keyring: Keyring;
  /** Name/version from the archive's plugin.yaml; verifyTarball reads the archive when omitted. */
  expected?: ExpectedPlugin;
  /** Verification time (default: now). Keys must be valid and unrevoked at this time. */
  now?: Date;
}

/** A selected signing key: the secret key plus who it is. */
export interface SigningKey {
  key: PrivateKey;
  signer: SignerInfo;
}

/** Result of generateKey. */
export interface GeneratedKey {
  publicKeyArmored: string;
  privateKeyArmored: string;
  /** Armored revocation certificate (keep it safe; `gpg --import` it to revoke). */
  revocationCertificate: string;
  fingerprint: string;
  keyId: string;
  userId: string;
}

/** Provenance state of a plugin for `plugin list` (column PROVENANCE). */
export type ProvenanceStatus =
  | { status: "trusted"; signer: SignerInfo; hash: string }
  | { status: "unknown-key"; keyId: string; code: string; reason: string }
  | { status: "unsigned"; code: string; reason: string }
  | { status: "invalid"; code: string; reason: string; keyId?: string }
  | { status: "mismatched"; code: string; reason: string; keyId?: string };
