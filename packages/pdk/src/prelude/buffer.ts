// A Node-style Buffer (a Uint8Array subclass): from/alloc/concat/byteLength/compare, toString
// and write in utf8, hex, base64, base64url, latin1, ascii, utf16le, slice/subarray sharing
// memory, and the read/write integer and float accessors.
import { base64Decode, base64Encode } from "./base64-codec.js";
import { defineGlobal } from "./define.js";
import { kernel } from "./kernel.js";
import { asciiBytes, asciiString, utf8Decode, utf8Encode } from "./utf8.js";

// byte -> two hex chars as one little-endian uint16; char code -> nibble value (-1 if not hex)
const HEX_PAIRS = new Uint16Array(256);
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 256; i++) {
  const h = (i < 16 ? "0" : "") + i.toString(16);
  HEX_PAIRS[i] = h.charCodeAt(0) | (h.charCodeAt(1) << 8);
}
for (let i = 0; i < 16; i++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}

type Encoding = "utf8" | "hex" | "base64" | "base64url" | "latin1" | "ascii" | "utf16le";

function normEnc(e?: string): Encoding {
  const s = String(e ?? "utf8").toLowerCase();
  switch (s) {
    case "utf8":
    case "utf-8":
      return "utf8";
    case "hex":
    case "base64":
    case "base64url":
    case "latin1":
    case "ascii":
      return s;
    case "binary":
      return "latin1";
    case "utf16le":
    case "utf-16le":
    case "ucs2":
    case "ucs-2":
      return "utf16le";
  }
  throw new TypeError(`Unknown encoding: ${e}`);
}

function encodeString(s: string, enc: Encoding): Uint8Array {
  switch (enc) {
    case "utf8":
      return utf8Encode(s);
    case "hex": {
      const src = asciiBytes(s);
      const n = src.length >> 1;
      const out = new Uint8Array(n);
      let i = 0;
      for (; i < n; i++) {
        const hi = HEX_VALUE[src[i * 2] as number] as number;
        const lo = HEX_VALUE[src[i * 2 + 1] as number] as number;
        if ((hi | lo) < 0) break;
        out[i] = (hi << 4) | lo;
      }
      return out.subarray(0, i);
    }
    case "base64":
    case "base64url":
      return base64Decode(s) as Uint8Array;
    case "utf16le": {
      const out = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        out[i * 2] = c & 255;
        out[i * 2 + 1] = c >> 8;
      }
      return out;
    }
    default: {
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
      return out;
    }
  }
}

function decodeBytes(u8: Uint8Array, enc: Encoding): string {
  switch (enc) {
    case "utf8":
      return utf8Decode(u8);
    case "hex": {
      if (kernel.hexEncode) return kernel.hexEncode(u8);
      const out = new Uint16Array(u8.length);
      for (let i = 0; i < u8.length; i++) out[i] = HEX_PAIRS[u8[i] as number] as number;
      return asciiString(new Uint8Array(out.buffer));
    }
    case "base64":
      return base64Encode(u8);
    case "base64url":
      return base64Encode(u8, true);
    case "utf16le": {
      let out = "";
      for (let i = 0; i + 1 < u8.length; i += 2)
        out += String.fromCharCode((u8[i] as number) | ((u8[i + 1] as number) << 8));
      return out;
    }
    default: {
      let out = "";
      const mask = enc === "ascii" ? 127 : 255;
      for (let i = 0; i < u8.length; i += 8192)
        out += String.fromCharCode.apply(
          null,
          Array.from(u8.subarray(i, i + 8192), (b) => b & mask),
        );
      return out;
    }
  }
}

/** The `Buffer` global. */
// @ts-expect-error Node's Buffer.from(string, encoding) differs from Uint8Array.from by design
export class Buffer extends Uint8Array {
  /** Creates a Buffer from a string (with encoding), bytes, an array or an ArrayBuffer (shared). */
  static from(value: unknown, encOrOffset?: string | number, length?: number): Buffer {
    if (typeof value === "string") {
      const u8 = encodeString(value, normEnc(encOrOffset as string | undefined));
      return new Buffer(u8.buffer as ArrayBuffer, u8.byteOffset, u8.byteLength);
    }
    if (value instanceof ArrayBuffer || Object.prototype.toString.call(value) === "[object ArrayBuffer]") {
      const ab = value as ArrayBuffer;
      const off = Number(encOrOffset ?? 0);
      return new Buffer(ab, off, length ?? ab.byteLength - off);
    }
    if (ArrayBuffer.isView(value)) {
      const src = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      const b = new Buffer(src.length);
      b.set(value instanceof Uint8Array ? src : Array.from(value as unknown as ArrayLike<number>));
      return b;
    }
    if (value && typeof value === "object") {
      const o = value as { type?: string; data?: number[]; length?: number };
      if (o.type === "Buffer" && Array.isArray(o.data)) return Buffer.from(o.data);
      if (typeof o.length === "number") {
        const b = new Buffer(o.length);
        for (let i = 0; i < o.length; i++) b[i] = Number((value as ArrayLike<number>)[i]) & 255;
        return b;
      }
    }
    throw new TypeError(
      "The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.",
    );
  }
  /** A zero-filled Buffer of `size` bytes, optionally filled with `fill`. */
  static alloc(size: number, fill?: string | number | Uint8Array, encoding?: string): Buffer {
    const b = new Buffer(size);
    if (fill !== undefined && fill !== 0) b.fill(fill, 0, size, encoding);
    return b;
  }
  /** Same as alloc (memory is always zeroed here). */
  static allocUnsafe(size: number): Buffer {
    return new Buffer(size);
  }
  /** Same as alloc. */
  static allocUnsafeSlow(size: number): Buffer {
    return new Buffer(size);
  }
  /** Joins buffers (or Uint8Arrays) into one. */
  static concat(list: readonly Uint8Array[], totalLength?: number): Buffer {
    const total = totalLength ?? list.reduce((n, b) => n + b.length, 0);
    const out = new Buffer(total);
    let o = 0;
    for (const b of list) {
      if (o >= total) break;
      out.set(b.subarray(0, total - o), o);
      o += b.length;
    }
    return out;
  }
  static isBuffer(v: unknown): v is Buffer {
    return v instanceof Buffer;
  }
  static isEncoding(e: string): boolean {
    try {
      normEnc(e);
      return true;
    } catch {
      return false;
    }
  }
  /** Byte length of a string in an encoding (or of a buffer). */
  static byteLength(v: string | ArrayBuffer | ArrayBufferView, enc?: string): number {
    if (typeof v !== "string") return v.byteLength;
    return encodeString(v, normEnc(enc)).length;
  }
  /** -1, 0 or 1 by byte-wise comparison. */
  static compare(a: Uint8Array, b: Uint8Array): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }
  override toString(enc?: string, start = 0, end = this.length): string {
    return decodeBytes(this.subarray(start, end), normEnc(enc));
  }
  toJSON(): { type: "Buffer"; data: number[] } {
    return { type: "Buffer", data: Array.from(this) };
  }
  equals(other: Uint8Array): boolean {
    return Buffer.compare(this, other) === 0;
  }
  compare(other: Uint8Array): number {
    return Buffer.compare(this, other);
  }
  /** A view on the same memory (like Node's Buffer#slice, which does not copy). */
  override slice(start?: number, end?: number): Buffer {
    return this.subarray(start, end);
  }
  override subarray(start?: number, end?: number): Buffer {
    const v = Uint8Array.prototype.subarray.call(this, start, end);
    return new Buffer(v.buffer as ArrayBuffer, v.byteOffset, v.byteLength);
  }
  /** Copies bytes into `target` at `targetStart`; returns the count copied. */
  copy(target: Uint8Array, targetStart = 0, sourceStart = 0, sourceEnd = this.length): number {
    const src = this.subarray(sourceStart, Math.min(sourceEnd, sourceStart + target.length - targetStart));
    target.set(src, targetStart);
    return src.length;
  }
  /** Writes a string at `offset`; returns the bytes written. */
  write(s: string, offset = 0, lengthOrEnc?: number | string, enc?: string): number {
    const e = typeof lengthOrEnc === "string" ? lengthOrEnc : enc;
    const max = typeof lengthOrEnc === "number" ? lengthOrEnc : this.length - offset;
    const bytes = encodeString(s, normEnc(e)).subarray(0, Math.min(max, this.length - offset));
    this.set(bytes, offset);
    return bytes.length;
  }
  override fill(value: string | number | Uint8Array, start = 0, end = this.length, encoding?: string): this {
    if (typeof start === "string") {
      encoding = start;
      start = 0;
      end = this.length;
    }
    if (typeof value === "number")
      return Uint8Array.prototype.fill.call(this, value & 255, start, end) as this;
    const pat = typeof value === "string" ? encodeString(value, normEnc(encoding)) : value;
    if (pat.length === 0) return Uint8Array.prototype.fill.call(this, 0, start, end) as this;
    for (let i = start, j = 0; i < end; i++, j = (j + 1) % pat.length) this[i] = pat[j] as number;
    return this;
  }
  override indexOf(value: string | number | Uint8Array, byteOffset = 0, enc?: string): number {
    if (typeof value === "number") return Uint8Array.prototype.indexOf.call(this, value & 255, byteOffset);
    const pat = typeof value === "string" ? encodeString(value, normEnc(enc)) : value;
    const start = byteOffset < 0 ? Math.max(0, this.length + byteOffset) : byteOffset;
    outer: for (let i = start; i + pat.length <= this.length; i++) {
      for (let j = 0; j < pat.length; j++) if (this[i + j] !== pat[j]) continue outer;
      return i;
    }
    return -1;
  }
  override includes(value: string | number | Uint8Array, byteOffset = 0, enc?: string): boolean {
    return this.indexOf(value, byteOffset, enc) !== -1;
  }
  private _dv(): DataView {
    return new DataView(this.buffer, this.byteOffset, this.byteLength);
  }
  private _check(offset: number, size: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.length)
      throw new RangeError(
        `The value of "offset" is out of range. It must be >= 0 and <= ${this.length - size}. Received ${offset}`,
      );
  }
  readUInt8(o = 0): number {
    this._check(o, 1);
    return this[o] as number;
  }
  readInt8(o = 0): number {
    this._check(o, 1);
    return this._dv().getInt8(o);
  }
  readUInt16LE(o = 0): number {
    this._check(o, 2);
    return this._dv().getUint16(o, true);
  }
  readUInt16BE(o = 0): number {
    this._check(o, 2);
    return this._dv().getUint16(o);
  }
  readInt16LE(o = 0): number {
    this._check(o, 2);
    return this._dv().getInt16(o, true);
  }
  readInt16BE(o = 0): number {
    this._check(o, 2);
    return this._dv().getInt16(o);
  }
  readUInt32LE(o = 0): number {
    this._check(o, 4);
    return this._dv().getUint32(o, true);
  }
  readUInt32BE(o = 0): number {
    this._check(o, 4);
    return this._dv().getUint32(o);
  }
  readInt32LE(o = 0): number {
    this._check(o, 4);
    return this._dv().getInt32(o, true);
  }
  readInt32BE(o = 0): number {
    this._check(o, 4);
    return this._dv().getInt32(o);
  }
  readBigUInt64LE(o = 0): bigint {
    this._check(o, 8);
    return this._dv().getBigUint64(o, true);
  }
  readBigUInt64BE(o = 0): bigint {
    this._check(o, 8);
    return this._dv().getBigUint64(o);
  }
  readBigInt64LE(o = 0): bigint {
    this._check(o, 8);
    return this._dv().getBigInt64(o, true);
  }
  readBigInt64BE(o = 0): bigint {
    this._check(o, 8);
    return this._dv().getBigInt64(o);
  }
  readFloatLE(o = 0): number {
    this._check(o, 4);
    return this._dv().getFloat32(o, true);
  }
  readFloatBE(o = 0): number {
    this._check(o, 4);
    return this._dv().getFloat32(o);
  }
  readDoubleLE(o = 0): number {
    this._check(o, 8);
    return this._dv().getFloat64(o, true);
  }
  readDoubleBE(o = 0): number {
    this._check(o, 8);
    return this._dv().getFloat64(o);
  }
  private _w(o: number, size: number, v: number, lo: number, hi: number, f: (d: DataView) => void): number {
    this._check(o, size);
    if (!(v >= lo && v <= hi))
      throw new RangeError(
        `The value of "value" is out of range. It must be >= ${lo} and <= ${hi}. Received ${v}`,
      );
    f(this._dv());
    return o + size;
  }
  writeUInt8(v: number, o = 0): number {
    return this._w(o, 1, v, 0, 255, (d) => d.setUint8(o, v));
  }
  writeInt8(v: number, o = 0): number {
    return this._w(o, 1, v, -128, 127, (d) => d.setInt8(o, v));
  }
  writeUInt16LE(v: number, o = 0): number {
    return this._w(o, 2, v, 0, 65535, (d) => d.setUint16(o, v, true));
  }
  writeUInt16BE(v: number, o = 0): number {
    return this._w(o, 2, v, 0, 65535, (d) => d.setUint16(o, v));
  }
  writeInt16LE(v: number, o = 0): number {
    return this._w(o, 2, v, -32768, 32767, (d) => d.setInt16(o, v, true));
  }
  writeInt16BE(v: number, o = 0): number {
    return this._w(o, 2, v, -32768, 32767, (d) => d.setInt16(o, v));
  }
  writeUInt32LE(v: number, o = 0): number {
    return this._w(o, 4, v, 0, 0xffffffff, (d) => d.setUint32(o, v, true));
  }
  writeUInt32BE(v: number, o = 0): number {
    return this._w(o, 4, v, 0, 0xffffffff, (d) => d.setUint32(o, v));
  }
  writeInt32LE(v: number, o = 0): number {
    return this._w(o, 4, v, -0x80000000, 0x7fffffff, (d) => d.setInt32(o, v, true));
  }
  writeInt32BE(v: number, o = 0): number {
    return this._w(o, 4, v, -0x80000000, 0x7fffffff, (d) => d.setInt32(o, v));
  }
  writeBigUInt64LE(v: bigint, o = 0): number {
    this._check(o, 8);
    this._dv().setBigUint64(o, v, true);
    return o + 8;
  }
  writeBigUInt64BE(v: bigint, o = 0): number {
    this._check(o, 8);
    this._dv().setBigUint64(o, v);
    return o + 8;
  }
  writeBigInt64LE(v: bigint, o = 0): number {
    this._check(o, 8);
    this._dv().setBigInt64(o, v, true);
    return o + 8;
  }
  writeBigInt64BE(v: bigint, o = 0): number {
    this._check(o, 8);
    this._dv().setBigInt64(o, v);
    return o + 8;
  }
  writeFloatLE(v: number, o = 0): number {
    this._check(o, 4);
    this._dv().setFloat32(o, v, true);
    return o + 4;
  }
  writeFloatBE(v: number, o = 0): number {
    this._check(o, 4);
    this._dv().setFloat32(o, v);
    return o + 4;
  }
  writeDoubleLE(v: number, o = 0): number {
    this._check(o, 8);
    this._dv().setFloat64(o, v, true);
    return o + 8;
  }
  writeDoubleBE(v: number, o = 0): number {
    this._check(o, 8);
    this._dv().setFloat64(o, v);
    return o + 8;
  }
}

// Node's lower-case aliases
for (const [alias, name] of [
  ["readUint8", "readUInt8"],
  ["readUint16LE", "readUInt16LE"],
  ["readUint16BE", "readUInt16BE"],
  ["readUint32LE", "readUInt32LE"],
  ["readUint32BE", "readUInt32BE"],
  ["writeUint8", "writeUInt8"],
  ["writeUint16LE", "writeUInt16LE"],
  ["writeUint16BE", "writeUInt16BE"],
  ["writeUint32LE", "writeUInt32LE"],
  ["writeUint32BE", "writeUInt32BE"],
  ["readBigUint64LE", "readBigUInt64LE"],
  ["readBigUint64BE", "readBigUInt64BE"],
  ["writeBigUint64LE", "writeBigUInt64LE"],
  ["writeBigUint64BE", "writeBigUInt64BE"],
] as const) {
  Object.defineProperty(Buffer.prototype, alias, {
    value: Buffer.prototype[name],
    writable: true,
    configurable: true,
  });
}

defineGlobal("Buffer", Buffer);
