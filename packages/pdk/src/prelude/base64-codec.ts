// Base64 (RFC 4648) for bytes, shared by atob/btoa, Host helpers and Buffer.

const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) LOOKUP[ALPHA.charCodeAt(i)] = i;
LOOKUP[45] = 62; // '-' (base64url)
LOOKUP[95] = 63; // '_'

/** Encodes bytes as base64 (standard alphabet, padded; `url` uses base64url without padding). */
export function base64Encode(u8: Uint8Array, url = false): string {
  const alpha = url ? `${ALPHA.slice(0, 62)}-_` : ALPHA;
  const parts: string[] = [];
  let chunk: string[] = [];
  const n = u8.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((u8[i] as number) << 16) | ((u8[i + 1] as number) << 8) | (u8[i + 2] as number);
    chunk.push(
      alpha[v >> 18] as string,
      alpha[(v >> 12) & 63] as string,
      alpha[(v >> 6) & 63] as string,
      alpha[v & 63] as string,
    );
    if (chunk.length >= 8192) {
      parts.push(chunk.join(""));
      chunk = [];
    }
  }
  if (i < n) {
    const a = u8[i] as number;
    const b = i + 1 < n ? (u8[i + 1] as number) : 0;
    const v = (a << 16) | (b << 8);
    chunk.push(alpha[v >> 18] as string, alpha[(v >> 12) & 63] as string);
    chunk.push(i + 1 < n ? (alpha[(v >> 6) & 63] as string) : url ? "" : "=");
    if (!url) chunk.push("=");
  }
  parts.push(chunk.join(""));
  return parts.join("");
}

/**
 * Decodes base64 or base64url. `strict` applies atob's rules (forgiving-base64: ASCII
 * whitespace removed, padding checked, no url alphabet) and returns null when invalid;
 * lenient mode (Buffer) skips unknown characters and stops at '='.
 */
export function base64Decode(s: string, strict = false): Uint8Array | null {
  if (strict) {
    s = s.replace(/[\t\n\f\r ]+/g, "");
    if (s.length % 4 === 0) s = s.replace(/={1,2}$/, "");
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) return null;
  }
  const out = new Uint8Array(Math.ceil((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61) break; // '='
    const v = c < 256 ? (LOOKUP[c] as number) : -1;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
      acc &= (1 << bits) - 1;
    }
  }
  return out.subarray(0, o);
}
