// Cleartext signature framing (RFC 4880 section 7). openpgp.js keeps a cleartext message's
// signature in a field its typings omit, and armors the body with CRLF; we write LF.
import type { CleartextMessage, Signature, SignaturePacket } from "openpgp";

function signatureOf(message: CleartextMessage): Signature {
  return (message as unknown as { signature: Signature }).signature;
}

/** The signature packets of a cleartext-signed message. */
export function signaturePackets(message: CleartextMessage): SignaturePacket[] {
  return [...signatureOf(message).packets];
}

/** The ASCII-armored signature block of a cleartext-signed message. */
export function signatureArmor(message: CleartextMessage): string {
  return signatureOf(message).armor();
}

/** Frames `text` (LF line endings, no trailing newline) and its armored signature, SHA-512. */
export function armorCleartext(text: string, armoredSignature: string): string {
  const escaped = text
    .split("\n")
    .map((line) => (line.startsWith("-") ? `- ${line}` : line))
    .join("\n");
  const sig = armoredSignature.replace(/\r\n/g, "\n");
  return `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${escaped}\n${sig.endsWith("\n") ? sig : `${sig}\n`}`;
}
