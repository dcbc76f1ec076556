// Describing keys for messages: user ID, fingerprint, key id, all uppercase hex like gpg prints.
import type { Key, Subkey } from "openpgp";
import type { SignerInfo } from "./types.js";

/** The first user ID of a key (primary user when it can be determined). */
export function primaryUserId(key: Key): string {
  return key.getUserIDs()[0] ?? "(no user ID)";
}

/** SignerInfo for a primary key and the (sub)key that signs. */
export function signerInfo(key: Key, signingKey: Key | Subkey = key): SignerInfo {
  return {
    userId: primaryUserId(key),
    fingerprint: key.getFingerprint().toUpperCase(),
    keyId: signingKey.getKeyID().toHex().toUpperCase(),
  };
}

/** `"Jane <jane@x> (key 0123ABCD...)"` for messages. */
export function describeKey(key: Key, keyId?: string): string {
  return `"${primaryUserId(key)}" (key ${keyId ?? key.getKeyID().toHex().toUpperCase()}, fingerprint ${key.getFingerprint().toUpperCase()})`;
}
