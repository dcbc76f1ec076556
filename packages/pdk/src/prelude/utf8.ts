// UTF-8 encoding and decoding shared by TextEncoder/TextDecoder, Host, Var, Http and Buffer.
// Uses the kernel's native codec when the glue provides one; the JS fallback follows the
// WHATWG Encoding standard (lone surrogates -> U+FFFD, maximal-subpart replacement).
import { kernel } from "./kernel.js";

/** Views any buffer source as bytes without copying. */
export function bytesOf(src: ArrayBuffer | ArrayBufferView | ArrayLike<number>): Uint8Array {
  if (src instanceof Uint8Array) return src;
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  if (Object.prototype.toString.call(src) === "[object ArrayBuffer]")
    return new Uint8Array(src as unknown as ArrayBuffer);
  throw new TypeError("expected an ArrayBuffer or a typed array");
}

/** A standalone ArrayBuffer holding exactly these bytes (copies only when needed). */
export function exactBuffer(u8: Uint8Array): ArrayBuffer {
  if (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength) return u8.buffer as ArrayBuffer;
  return u8.slice().buffer as ArrayBuffer;
}

/** Encodes a string as UTF-8 (lone surrogates become U+FFFD). */
export function utf8Encode(s: string): Uint8Array {
  if (kernel.utf8Encode) return new Uint8Array(kernel.utf8Encode(s));
  const n = s.length;
  let out = new Uint8Array(n + (n >> 1) + 8);
  let o = 0;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (o + 4 > out.length) {
      const grown = new Uint8Array(out.length * 2 + 8);
      grown.set(out);
      out = grown;
    }
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[o++] = 0xf0 | (c >> 18);
        out[o++] = 0x80 | ((c >> 12) & 63);
        out[o++] = 0x80 | ((c >> 6) & 63);
        out[o++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    out[o++] = 0xe0 | (c >> 12);
    out[o++] = 0x80 | ((c >> 6) & 63);
    out[o++] = 0x80 | (c & 63);
  }
  return out.subarray(0, o);
}

/** Result of decoding a prefix: the text and how many bytes were consumed. */
interface Decoded {
  text: string;
  used: number;
}

/**
 * Decodes UTF-8. With `stream`, an incomplete sequence at the end is left unconsumed.
 * With `fatal`, any malformed sequence throws a TypeError.
 */
export function utf8DecodePrefix(u8: Uint8Array, fatal: boolean, stream: boolean): Decoded {
  const n = u8.length;
  const parts: string[] = [];
  let codes: number[] = [];
  let i = 0;
  const flush = () => {
    parts.push(String.fromCharCode.apply(null, codes));
    codes = [];
  };
  const bad = () => {
    if (fatal) throw new TypeError("The encoded data was not valid for encoding utf-8");
    codes.push(0xfffd);
  };
  while (i < n) {
    if (codes.length > 8000) flush();
    const b = u8[i] as number;
    if (b < 0x80) {
      codes.push(b);
      i++;
      continue;
    }
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0xf;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x7;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else {
      bad();
      i++;
      continue;
    }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      if (j >= n) {
        if (stream) {
          if (codes.length) flush();
          return { text: parts.join(""), used: i };
        }
        ok = false;
        break;
      }
      const c = u8[j] as number;
      if (c < lower || c > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok) {
      bad();
      i = j; // maximal subpart: skip the valid prefix, resume at the offending byte
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      codes.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else codes.push(cp);
    i = j;
  }
  if (codes.length) flush();
  return { text: parts.join(""), used: n };
}

/** Decodes complete UTF-8 bytes (invalid sequences become U+FFFD unless `fatal`). */
export function utf8Decode(src: ArrayBuffer | ArrayBufferView, fatal = false): string {
  const u8 = bytesOf(src);
  if (kernel.utf8Decode) return kernel.utf8Decode(u8, fatal);
  return utf8DecodePrefix(u8, fatal, false).text;
}

/** A string from bytes that are all ASCII (one char per byte); native when the kernel can. */
export function asciiString(u8: Uint8Array): string {
  if (kernel.utf8Decode) return kernel.utf8Decode(u8, false);
  const parts: string[] = [];
  for (let i = 0; i < u8.length; i += 8192) {
    parts.push(String.fromCharCode.apply(null, u8.subarray(i, i + 8192) as unknown as number[]));
  }
  return parts.join("");
}

/** The bytes of a string expected to be ASCII (non-ASCII chars come out as bytes >= 0x80). */
export function asciiBytes(s: string): Uint8Array {
  if (kernel.utf8Encode) return new Uint8Array(kernel.utf8Encode(s));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = Math.min(c, 0x80);
  }
  return out;
}
