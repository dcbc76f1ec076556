// Verifying .prov files, fail closed. Each refusal is its own SignatureCode and the message
// names the reason and the key. Order: parse, algorithm policy, key lookup, key state at
// `now`, signature date, cryptographic check, then (verified text only) files and metadata.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { CleartextMessage, Key, SignaturePacket, Subkey } from "openpgp";
import * as openpgp from "openpgp";
import { signaturePackets } from "./cleartext.js";
import { sha256File } from "./digest.js";
import { SignatureCode, SignatureError } from "./errors.js";
import { describeKey, signerInfo } from "./key-info.js";
import { parseMessageBlock } from "./message-block.js";
import { readTarballMetadata } from "./tarball-metadata.js";
import type { ExpectedPlugin, PackageKind, SignerInfo, VerifyOptions, VerifyResult } from "./types.js";

const { hash, publicKey } = openpgp.enums;
/** Hashes accepted in signatures: SHA-2 (>= 256 bits) and SHA-3. */
const acceptedHashes = new Set<number>([hash.sha256, hash.sha384, hash.sha512, hash.sha3_256, hash.sha3_512]);
/** Signature algorithms accepted: RSA (openpgp.js enforces >= 2047 bits), ECDSA, EdDSA. */
const acceptedKeyAlgorithms = new Set<number>([
  publicKey.rsaEncryptSign,
  publicKey.rsaSign,
  publicKey.ecdsa,
  publicKey.eddsaLegacy,
  publicKey.ed25519,
  publicKey.ed448,
]);

const resignHint =
  "ask the plugin author for a new .prov, or re-sign: `capstan plugin package --sign --key <k> --keyring <secring>`";

function enumName(e: Record<string, number | string>, v: number | null): string {
  const entry = Object.entries(e).find(([, n]) => n === v);
  return entry === undefined ? String(v) : entry[0].toUpperCase();
}

/** Inputs of verifyProvenance: the .prov text and the tarball's base name and SHA-256. */
export interface VerifyProvenanceOptions extends VerifyOptions {
  provText: string;
  /** Name used in messages (the .prov path). */
  provLabel?: string;
  /** Tarball base name to look up under `files:`. */
  fileName: string;
  /** Lowercase hex SHA-256 of the tarball bytes. */
  sha256: string;
  /** Supplies `expected` lazily (after the digest check) when `expected` is not given. */
  loadExpected?: () => Promise<ExpectedPlugin>;
}

/** Verifies .prov text against a tarball digest; throws SignatureError on any failure. */
export async function verifyProvenance(options: VerifyProvenanceOptions): Promise<VerifyResult> {
  const label = options.provLabel ?? `${options.fileName}.prov`;
  const now = options.now ?? new Date();
  if (options.provText.trim() === "") {
    throw new SignatureError(SignatureCode.provEmpty, `provenance file ${label} is empty`, {
      hint: resignHint,
    });
  }
  let message: CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: options.provText });
  } catch (e) {
    throw new SignatureError(
      SignatureCode.provMalformed,
      `provenance file ${label} is not an OpenPGP cleartext signature: ${(e as Error).message}`,
      {
        hint: resignHint,
        cause: e,
      },
    );
  }
  const sigs = signaturePackets(message);
  if (sigs.length === 0) {
    throw new SignatureError(SignatureCode.badSignature, `provenance file ${label} has no signature`, {
      hint: resignHint,
    });
  }
  // Prefer a signature whose key we know; otherwise report the first one.
  const located = sigs.map((sig) => ({ sig, found: findKey(options.keyring.keys, sig) }));
  const chosen = located.find((l) => l.found !== undefined) ?? (located[0] as (typeof located)[number]);
  const { sig, found } = chosen;
  const keyId = sig.issuerKeyID.toHex().toUpperCase();
  const who = found === undefined ? `key ${keyId}` : describeKey(found.key, keyId);

  if (sig.hashAlgorithm === null || !acceptedHashes.has(sig.hashAlgorithm)) {
    throw new SignatureError(
      SignatureCode.weakHash,
      `${label} is signed with hash ${enumName(hash, sig.hashAlgorithm)} by ${who}; SHA-1 and other weak hashes are refused`,
      {
        hint: "re-sign with SHA-512 (`capstan-sign sign`, or gpg --digest-algo SHA512)",
      },
    );
  }
  if (sig.publicKeyAlgorithm === null || !acceptedKeyAlgorithms.has(sig.publicKeyAlgorithm)) {
    throw new SignatureError(
      SignatureCode.weakKeyAlgorithm,
      `${label} is signed with ${enumName(publicKey, sig.publicKeyAlgorithm)} by ${who}; DSA and ElGamal signatures are refused`,
      {
        hint: "re-sign with an Ed25519 or RSA >= 3072 key (`capstan-sign keygen`)",
      },
    );
  }
  if (found === undefined) {
    throw new SignatureError(
      SignatureCode.unknownKey,
      `${label} is signed by key ${keyId}${fingerprintSuffix(sig)}, which is not in the keyring (${keyringLabel(options)})`,
      {
        hint: `if you trust it, import the signer's public key and export it: \`gpg --recv-keys ${keyId} && gpg --export > pubring.gpg\`, then pass --keyring`,
      },
    );
  }
  const { key, subkey } = found;
  await assertKeyCurrent(key, subkey, { subject: label, who, now, ask: "a .prov signed by a current key" });
  const created = sig.created;
  if (created === null || created.getTime() > now.getTime()) {
    throw new SignatureError(
      SignatureCode.futureSignature,
      `${label} has a signature by ${who} dated in the future (${created?.toISOString() ?? "no date"}, now ${now.toISOString()})`,
      {
        hint: "check the clock of this machine and of the signer; re-sign with a correct date",
      },
    );
  }
  try {
    await key.getSigningKey(sig.issuerKeyID, now);
    const result = await openpgp.verify({ message, verificationKeys: key, date: now, format: "utf8" });
    const entry = result.signatures.find((s) => s.keyID.equals(sig.issuerKeyID));
    if (entry === undefined) throw new Error("signature not evaluated");
    await entry.verified;
  } catch (e) {
    throw new SignatureError(
      SignatureCode.badSignature,
      `${label}: signature by ${who} is not valid (${(e as Error).message}); the .prov was altered or not made by this key`,
      {
        hint: resignHint,
        cause: e,
      },
    );
  }
  // From here on only the verified text is parsed.
  const block = parseMessageBlock(message.getText(), label);
  const listed = block.files[options.fileName];
  if (listed === undefined) {
    const signedFiles = Object.keys(block.files).join(", ") || "nothing";
    const tarballName =
      options.expected?.name ??
      (await options.loadExpected?.().catch(() => undefined))?.name ??
      nameFromFileName(options.fileName);
    const signedName =
      block.signedName ??
      (Object.keys(block.files)[0] === undefined
        ? undefined
        : nameFromFileName(Object.keys(block.files)[0] as string));
    if (tarballName !== undefined && signedName !== undefined && tarballName !== signedName) {
      throw new SignatureError(
        SignatureCode.otherPlugin,
        `${label} belongs to another plugin: it signs "${signedName}" (${signedFiles}), not ${options.fileName} (signed by ${who})`,
        {
          hint: `use the .prov published with ${options.fileName}`,
        },
      );
    }
    throw new SignatureError(
      SignatureCode.fileNotListed,
      `${label} (signed by ${who}) does not list ${options.fileName}; it signs ${signedFiles} (renamed tarball?)`,
      {
        hint: "keep the tarball's original file name, or use the .prov that belongs to this tarball",
      },
    );
  }
  const want = `sha256:${options.sha256.toLowerCase()}`;
  if (listed.trim().toLowerCase() !== want) {
    throw new SignatureError(
      SignatureCode.digestMismatch,
      `digest mismatch for ${options.fileName}: the tarball is ${want} but ${label} (signed by ${who}) lists ${listed}; the tarball was altered`,
      {
        hint: "download the plugin again from its publisher; do not install this file",
      },
    );
  }
  const expected = options.expected ?? (await options.loadExpected?.());
  if (
    expected !== undefined &&
    (block.signedName !== expected.name || block.signedVersion !== expected.version)
  ) {
    throw new SignatureError(
      SignatureCode.metadataMismatch,
      `${label} (signed by ${who}) signs ${kindOf(expected)} ${block.signedName ?? "?"} ${block.signedVersion ?? "?"}, but the tarball's ${metadataFileOf(expected)} is ${expected.name} ${expected.version}`,
      {
        hint: `the .prov does not describe this ${kindOf(expected)}; re-sign the tarball`,
      },
    );
  }
  return {
    signer: signerInfo(key, subkey ?? key),
    hash: want,
    metadata: block.metadata,
    fileName: options.fileName,
    signedAt: created,
    kind: kindOf(expected),
  };
}

function kindOf(expected: ExpectedPlugin | undefined): PackageKind {
  return expected?.kind ?? "plugin";
}

function metadataFileOf(expected: ExpectedPlugin): string {
  return kindOf(expected) === "chart" ? "Chart.yaml" : "plugin.yaml";
}

/** Options of verifyTarball. */
export interface VerifyTarballOptions extends VerifyOptions {
  /** Default `<tgz>.prov`. */
  provPath?: string;
}

/** Verifies `<tgz>` against its .prov; `expected` defaults to the archive's plugin.yaml or Chart.yaml. */
export async function verifyTarball(tgzPath: string, options: VerifyTarballOptions): Promise<VerifyResult> {
  const provPath = options.provPath ?? `${tgzPath}.prov`;
  const provText = await readFile(provPath, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") {
      throw new SignatureError(
        SignatureCode.provMissing,
        `${basename(tgzPath)} is not signed: provenance file ${provPath} is missing`,
        {
          hint: "get the .prov published next to the tarball, or install with --verify=false (unsafe)",
        },
      );
    }
    throw new SignatureError(
      SignatureCode.provMissing,
      `cannot read provenance file ${provPath}: ${e.code ?? e.message}`,
      { hint: "check the path and permissions" },
    );
  });
  const sha256 = await sha256File(tgzPath).catch((e: NodeJS.ErrnoException) => {
    throw new SignatureError(
      SignatureCode.tarballUnreadable,
      `cannot read tarball ${tgzPath}: ${e.code ?? e.message}`,
      { hint: "check the path", cause: e },
    );
  });
  // Without `expected`, the archive's plugin.yaml is read only once the digest matched, so the
  // tar reader only ever sees the signed bytes.
  const loadExpected = async (): Promise<ExpectedPlugin> => {
    const m = await readTarballMetadata(tgzPath);
    return { name: m.name, version: m.version, kind: m.kind };
  };
  return verifyProvenance({
    ...options,
    ...(options.expected === undefined ? { loadExpected } : {}),
    provText,
    provLabel: provPath,
    fileName: basename(tgzPath),
    sha256,
  });
}

/**
 * Checks that the key with this fingerprint or key id is in the keyring and neither revoked nor
 * expired at `now` (for signatures checked elsewhere, e.g. signed git tags). Throws the same
 * PROV_UNKNOWN_KEY / PROV_KEY_REVOKED / PROV_KEY_EXPIRED errors as verification.
 */
export async function checkSignerKey(
  keyring: VerifyOptions["keyring"],
  fingerprintOrKeyId: string,
  options: { now?: Date; subject?: string } = {},
): Promise<SignerInfo> {
  const now = options.now ?? new Date();
  const subject = options.subject ?? "the signature";
  const want = fingerprintOrKeyId.replace(/\s+/g, "").replace(/^0x/i, "").toLowerCase();
  for (const key of keyring.keys) {
    const match = key.getKeys().find((k) => k.getFingerprint() === want || k.getKeyID().toHex() === want);
    if (match === undefined) continue;
    const subkey = match === key ? undefined : (match as Subkey);
    const who = describeKey(key, match.getKeyID().toHex().toUpperCase());
    await assertKeyCurrent(key, subkey, { subject, who, now, ask: "a signature made with a current key" });
    return signerInfo(key, match);
  }
  throw new SignatureError(
    SignatureCode.unknownKey,
    `${subject} is signed by key ${fingerprintOrKeyId.toUpperCase()}, which is not in the keyring (${keyringLabel({ keyring })})`,
    {
      hint: `if you trust it, import the signer's public key and export it: \`gpg --recv-keys ${fingerprintOrKeyId.toUpperCase()} && gpg --export > pubring.gpg\`, then pass --keyring`,
    },
  );
}

function findKey(
  keys: readonly Key[],
  sig: SignaturePacket,
): { key: Key; subkey: Subkey | undefined } | undefined {
  const fpr =
    sig.issuerFingerprint === null || sig.issuerFingerprint === undefined
      ? undefined
      : Buffer.from(sig.issuerFingerprint).toString("hex");
  for (const key of keys) {
    const match = key.getKeys(sig.issuerKeyID).find((k) => fpr === undefined || k.getFingerprint() === fpr);
    if (match !== undefined) return { key, subkey: match === key ? undefined : (match as Subkey) };
  }
  return undefined;
}

/** Refuses a revoked key, or one expired at `now` (primary or signing subkey). */
async function assertKeyCurrent(
  key: Key,
  subkey: Subkey | undefined,
  m: { subject: string; who: string; now: Date; ask: string },
): Promise<void> {
  if (await isRevoked(key, subkey)) {
    throw new SignatureError(
      SignatureCode.keyRevoked,
      `${m.subject} is signed by ${m.who}, which is revoked`,
      {
        hint: `do not install it; ask the plugin author for ${m.ask}`,
      },
    );
  }
  const expiry = await expirationOf(key, subkey);
  if (expiry !== undefined && expiry.getTime() <= m.now.getTime()) {
    throw new SignatureError(
      SignatureCode.keyExpired,
      `${m.subject} is signed by ${m.who}, which expired on ${expiry.toISOString()}`,
      {
        hint: `refresh the key (the author may have extended it: \`gpg --refresh-keys\`, re-export the keyring) or ask for ${m.ask}`,
      },
    );
  }
}

async function isRevoked(key: Key, subkey: Subkey | undefined): Promise<boolean> {
  if (await key.isRevoked(undefined, undefined, new Date())) return true;
  return subkey !== undefined && (await subkey.isRevoked(null as never, undefined as never, new Date()));
}

/** Earliest of primary and signing-subkey expiration, or undefined when it never expires. */
async function expirationOf(key: Key, subkey: Subkey | undefined): Promise<Date | undefined> {
  const times = [await key.getExpirationTime()];
  if (subkey !== undefined) times.push(await subkey.getExpirationTime());
  const dates = times.filter(
    (t): t is Date => t instanceof Date || (typeof t === "object" && t !== null && "getTime" in t),
  );
  if (dates.length === 0) return undefined;
  return new Date(Math.min(...dates.map((d) => d.getTime())));
}

function fingerprintSuffix(sig: SignaturePacket): string {
  const f = sig.issuerFingerprint;
  return f === null || f === undefined
    ? ""
    : ` (fingerprint ${Buffer.from(f).toString("hex").toUpperCase()})`;
}

function keyringLabel(options: VerifyOptions): string {
  return options.keyring.sources.length > 0
    ? options.keyring.sources.join(", ")
    : `${options.keyring.keys.length} keys`;
}

/** `<name>-<semver>.tgz` -> name (a plugin name has no dots; the version starts with a digit). */
function nameFromFileName(fileName: string): string | undefined {
  return /^(.+?)-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(fileName)?.[1];
}
