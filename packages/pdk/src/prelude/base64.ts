// atob / btoa (forgiving-base64, Latin-1 strings) as in browsers and Node.
import { base64Decode, base64Encode } from "./base64-codec.js";
import { defineGlobal } from "./define.js";
import { DOMException } from "./dom-exception.js";

/** Encodes a Latin-1 string as base64; throws InvalidCharacterError above U+00FF. */
export function btoa(...args: [data?: string]): string {
  const data = args[0];
  if (args.length === 0) throw new TypeError("btoa requires 1 argument");
  const s = String(data);
  const u8 = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new DOMException("Invalid character", "InvalidCharacterError");
    u8[i] = c;
  }
  return base64Encode(u8);
}

/** Decodes base64 into a Latin-1 string; throws InvalidCharacterError on bad input. */
export function atob(...args: [data?: string]): string {
  const data = args[0];
  if (args.length === 0) throw new TypeError("atob requires 1 argument");
  const u8 = base64Decode(String(data), true);
  if (!u8)
    throw new DOMException("The string to be decoded is not correctly encoded.", "InvalidCharacterError");
  let out = "";
  for (let i = 0; i < u8.length; i += 8192)
    out += String.fromCharCode.apply(null, u8.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

defineGlobal("atob", atob);
defineGlobal("btoa", btoa);
