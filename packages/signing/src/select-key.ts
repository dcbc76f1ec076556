// Choosing the secret key to sign with: Helm's rule (user-ID substring) or a fingerprint /
// key id. Ambiguity is an error rather than "first match", so a signature is never made by a
// key the user did not mean.

import type { PrivateKey } from "openpgp";
import * as openpgp from "openpgp";
import { SignatureCode, SignatureError } from "./errors.js";
import { describeKey, primaryUserId, signerInfo } from "./key-info.js";
import type { Keyring, SigningKey } from "./types.js";

function matches(key: openpgp.Key, selector: string): boolean {
  const hex = selector.replace(/\s+/g, "").replace(/^0x/i, "").toLowerCase();
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(hex))
    return key.getKeys().some((k) => k.getFingerprint().toLowerCase() === hex);
  if (/^[0-9a-f]{16}$/.test(hex))
    return key.getKeys().some((k) => k.getKeyID().toHex().toLowerCase() === hex);
  return key.getUserIDs().some((uid) => uid.includes(selector));
}

/** Picks the secret key matching `selector` (user-ID substring, fingerprint or 16-hex key id). */
export async function selectSigningKey(
  keyring: Keyring,
  selector: string,
  options: { now?: Date } = {},
): Promise<SigningKey> {
  const now = options.now ?? new Date();
  const matching = keyring.keys.filter((k) => matches(k, selector));
  const secret = matching.filter((k): k is PrivateKey => k.isPrivate());
  const where = keyring.sources.length > 0 ? ` in ${keyring.sources.join(", ")}` : "";
  if (secret.length === 0) {
    if (matching.length > 0) {
      throw new SignatureError(
        SignatureCode.keyNotSecret,
        `key ${describeKey(matching[0] as openpgp.Key)} matches "${selector}" but only its public part is in the keyring${where}`,
        {
          hint: "pass the secret keyring: `gpg --export-secret-keys > secring.gpg` then --keyring secring.gpg",
        },
      );
    }
    const available = keyring.keys.filter((k) => k.isPrivate()).map((k) => `"${primaryUserId(k)}"`);
    throw new SignatureError(SignatureCode.keyNotFound, `no secret key matches "${selector}"${where}`, {
      hint:
        available.length > 0
          ? `secret keys available: ${available.join(", ")}`
          : "the keyring holds no secret keys; create one with `capstan-sign keygen`",
    });
  }
  const usable: PrivateKey[] = [];
  const problems: string[] = [];
  for (const key of secret) {
    try {
      await key.getSigningKey(undefined, now);
      usable.push(key);
    } catch (e) {
      problems.push(`${describeKey(key)}: ${(e as Error).message}`);
    }
  }
  if (usable.length === 0) {
    throw new SignatureError(
      SignatureCode.keyUnusable,
      `no usable signing key matches "${selector}": ${problems.join("; ")}`,
      {
        hint: "the key is expired, revoked or cannot sign; extend it with `gpg --quick-set-expire` or create one with `capstan-sign keygen`",
      },
    );
  }
  if (usable.length > 1) {
    throw new SignatureError(
      SignatureCode.keyAmbiguous,
      `"${selector}" matches ${usable.length} secret keys: ${usable.map((k) => describeKey(k)).join(", ")}`,
      {
        hint: "pass the fingerprint as --key",
      },
    );
  }
  const key = usable[0] as PrivateKey;
  const signing = await key.getSigningKey(undefined, now);
  return { key, signer: signerInfo(key, signing) };
}

/** Decrypts the selected key with `passphrase` when it is protected. */
export async function unlockSigningKey(selected: SigningKey, passphrase?: string): Promise<SigningKey> {
  if (selected.key.isDecrypted()) return selected;
  const who = describeKey(selected.key);
  if (passphrase === undefined) {
    throw new SignatureError(
      SignatureCode.passphraseRequired,
      `secret key ${who} is protected by a passphrase`,
      {
        hint: "pass --passphrase-file <file> (or --passphrase-stdin)",
      },
    );
  }
  try {
    const key = await openpgp.decryptKey({ privateKey: selected.key, passphrase });
    return { key, signer: selected.signer };
  } catch (e) {
    throw new SignatureError(
      SignatureCode.passphraseWrong,
      `cannot unlock secret key ${who}: wrong passphrase`,
      {
        hint: "check the passphrase file (its first line is the passphrase)",
        cause: e,
      },
    );
  }
}
