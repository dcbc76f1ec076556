// SHA-256 and HMAC-SHA256 for SigV4 through crypto.subtle: in a plugin the engine runs them in
// C (packages/engine/csrc/capstan-hash.c); under Node (unit tests) Node's Web Crypto does.

const subtle = (globalThis as unknown as { crypto: { subtle: Subtle } }).crypto.subtle;

// The slice of the Web Crypto API this module uses (the sample compiles with lib ES2020 only).
interface Subtle {
  digest(alg: string, data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    f: "raw",
    k: Uint8Array,
    a: { name: "HMAC"; hash: string },
    x: boolean,
    u: ["sign"],
  ): Promise<unknown>;
  sign(alg: "HMAC", key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

/** SHA-256 of bytes. */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest("SHA-256", data));
}

/** HMAC-SHA256 (RFC 2104). */
export async function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const k = await subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", k, message));
}

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
