// crypto: getRandomValues and randomUUID from the host's random source (WASI random_get via
// the kernel, so every instance of one snapshot gets fresh values), crypto.subtle (subtle.ts)
// and the CryptoKey global.
import { defineGlobal } from "./define.js";
import { DOMException } from "./dom-exception.js";
import { kernel } from "./kernel.js";
import { CryptoKey, subtle } from "./subtle.js";
import { bytesOf } from "./utf8.js";

const INTEGER_ARRAYS = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "BigInt64Array",
  "BigUint64Array",
];

/** Fills an integer typed array with cryptographically strong random values. */
export function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
  const kind = Object.prototype.toString.call(array).slice(8, -1);
  if (!array || !INTEGER_ARRAYS.includes(kind))
    throw new DOMException("The data argument must be an integer-type TypedArray", "TypeMismatchError");
  if (array.byteLength > 65536)
    throw new DOMException(
      `The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`,
      "QuotaExceededError",
    );
  bytesOf(array).set(new Uint8Array(kernel.randomBytes(array.byteLength)));
  return array;
}

/** A random RFC 4122 version 4 UUID. */
export function randomUUID(): string {
  const b = new Uint8Array(kernel.randomBytes(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The `crypto` global. */
export const crypto = { getRandomValues, randomUUID, subtle };

defineGlobal("crypto", crypto);
defineGlobal("CryptoKey", CryptoKey);
