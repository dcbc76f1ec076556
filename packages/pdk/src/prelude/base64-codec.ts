// Base64 (RFC 4648) for bytes, shared by atob/btoa, Host helpers, Buffer and defineGetter.
// The engine's native codecs (capstan-codec.c) do the work when present; the JS fallback is
// written for QuickJS's interpreter: typed-array tables, two output chars per lookup.
import { kernel } from "./kernel.js";
import { asciiBytes, asciiString } from "./utf8.js";

const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) LOOKUP[ALPHA.charCodeAt(i)] = i;
LOOKUP[45] = 62; // '-' (base64url)
LOOKUP[95] = 63; // '_'

/** 12 bits -> two alphabet chars as one little-endian uint16 (Wasm and V8 are little-endian). */
function pairTable(alpha: string): Uint16Array {
  const t = new Uint16Array(4096);
  for (let i = 0; i < 4096; i++) t[i] = alpha.charCodeAt(i >> 6) | (alpha.charCodeAt(i & 63) << 8);
  return t;
}
let PAIRS: Uint16Array | undefined;
let PAIRS_URL: Uint16Array | undefined;

/** Encodes bytes as base64 (standard alphabet, padded; `url` uses base64url without padding). */
export function base64Encode(u8: Uint8Array, url = false): string {
  if (kernel.base64Encode) return kernel.base64Encode(u8, url);
  const alpha = url ? `${ALPHA.slice(0, 62)}-_` : ALPHA;
  if (!PAIRS) PAIRS = pairTable(ALPHA);
  if (url && !PAIRS_URL) PAIRS_URL = pairTable(alpha);
  const pairs = (url ? PAIRS_URL : PAIRS) as Uint16Array;
  const n = u8.length;
  const full = n - (n % 3);
  const out16 = new Uint16Array(((n + 2) / 3) << 1);
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const v = ((u8[i] as number) << 16) | ((u8[i + 1] as number) << 8) | (u8[i + 2] as number);
    out16[o++] = pairs[v >> 12] as number;
    out16[o++] = pairs[v & 4095] as number;
  }
  const out = new Uint8Array(out16.buffer);
  let len = o * 2;
  if (full < n) {
    const a = u8[full] as number;
    const b = full + 1 < n ? (u8[full + 1] as number) : 0;
    const v = (a << 16) | (b << 8);
    out[len++] = alpha.charCodeAt(v >> 18);
    out[len++] = alpha.charCodeAt((v >> 12) & 63);
    if (full + 1 < n) out[len++] = alpha.charCodeAt((v >> 6) & 63);
    else if (!url) out[len++] = 61;
    if (!url) out[len++] = 61;
  }
  return asciiString(out.subarray(0, len));
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
  if (kernel.base64Decode) return new Uint8Array(kernel.base64Decode(s));
  const src = asciiBytes(s);
  const n = src.length;
  const out = new Uint8Array(Math.ceil((n * 3) / 4));
  let o = 0;
  let i = 0;
  // fast path: groups of four valid characters
  for (; i + 4 <= n; i += 4) {
    const a = LOOKUP[src[i] as number] as number;
    const b = LOOKUP[src[i + 1] as number] as number;
    const c = LOOKUP[src[i + 2] as number] as number;
    const d = LOOKUP[src[i + 3] as number] as number;
    if ((a | b | c | d) < 0) break;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  // the rest (padding, stray characters in lenient mode), bit by bit
  let acc = 0;
  let bits = 0;
  for (; i < n; i++) {
    const ch = src[i] as number;
    if (ch === 61) break; // '='
    const v = LOOKUP[ch] as number;
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
