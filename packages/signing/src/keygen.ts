// Key generation: v4 keys GnuPG 2.2 reads. ECC = Ed25519 (legacy EdDSA) primary for signing
// plus a Curve25519 encryption subkey; RSA = 3072 or 4096 bits.
import { CapstanError, ExitCode } from "@capstan/manifest";
import * as openpgp from "openpgp";
import type { GeneratedKey } from "./types.js";

/** Options of generateKey. */
export interface GenerateKeyOptions {
  name: string;
  email: string;
  comment?: string;
  passphrase?: string;
  type?: "ecc" | "rsa";
  rsaBits?: 3072 | 4096;
  /** Seconds until the key expires (default: never). */
  expiresInSeconds?: number;
  /** Creation time (default now); tests use it to make already-expired keys. */
  date?: Date;
}

/** Generates an armored key pair and its revocation certificate. */
export async function generateKey(options: GenerateKeyOptions): Promise<GeneratedKey> {
  const type = options.type ?? "ecc";
  if (type === "rsa" && options.rsaBits !== undefined && options.rsaBits < 3072)
    throw new RangeError("RSA keys must have at least 3072 bits");
  const userID = {
    name: options.name,
    email: options.email,
    ...(options.comment === undefined ? {} : { comment: options.comment }),
  };
  const common = {
    userIDs: [userID],
    format: "object" as const,
    ...(options.passphrase === undefined || options.passphrase === ""
      ? {}
      : { passphrase: options.passphrase }),
    ...(options.expiresInSeconds === undefined ? {} : { keyExpirationTime: options.expiresInSeconds }),
    ...(options.date === undefined ? {} : { date: options.date }),
    // Stay at v4 without AEAD/v6 features so GnuPG 2.2 imports and uses the key.
    config: { v6Keys: false, aeadProtect: false, preferredHashAlgorithm: openpgp.enums.hash.sha512 },
  };
  let pair: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey; revocationCertificate: string };
  try {
    pair =
      type === "rsa"
        ? await openpgp.generateKey({ ...common, type: "rsa", rsaBits: options.rsaBits ?? 3072 })
        : await openpgp.generateKey({ ...common, type: "ecc", curve: "ed25519Legacy" });
  } catch (e) {
    throw new CapstanError(
      "KEYGEN_INVALID",
      `cannot generate a key for "${options.name} <${options.email}>": ${(e as Error).message}`,
      {
        hint: "pass a plain --name and a valid --email (user@example.com)",
        exitCode: ExitCode.usage,
        cause: e,
      },
    );
  }
  const { privateKey, publicKey, revocationCertificate } = pair;
  return {
    publicKeyArmored: publicKey.armor(),
    privateKeyArmored: privateKey.armor(),
    revocationCertificate,
    fingerprint: publicKey.getFingerprint().toUpperCase(),
    keyId: publicKey.getKeyID().toHex().toUpperCase(),
    userId: publicKey.getUserIDs()[0] ?? "",
  };
}
