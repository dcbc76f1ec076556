// TextEncoder / TextDecoder (UTF-8 only, plus utf-16le and latin1 decoding) per the WHATWG
// Encoding standard: replacement with U+FFFD, `fatal`, `ignoreBOM`, streaming, encodeInto.
import { defineGlobal, tag } from "./define.js";
import { bytesOf, utf8Decode, utf8DecodePrefix, utf8Encode } from "./utf8.js";

/** The `TextEncoder` global. */
export class TextEncoder {
  get encoding(): string {
    return "utf-8";
  }
  /** Encodes a string as UTF-8. */
  encode(input = ""): Uint8Array {
    const u8 = utf8Encode(String(input));
    return u8.byteLength === u8.buffer.byteLength ? u8 : u8.slice();
  }
  /** Encodes as much of `source` as fits in `destination`, never splitting a character. */
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number } {
    const s = String(source);
    const cap = destination.length;
    let read = 0;
    let written = 0;
    for (let i = 0; i < s.length; ) {
      let c = s.charCodeAt(i);
      let units = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          units = 2;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (written + size > cap) break;
      if (size === 1) destination[written] = c;
      else if (size === 2) {
        destination[written] = 0xc0 | (c >> 6);
        destination[written + 1] = 0x80 | (c & 63);
      } else if (size === 3) {
        destination[written] = 0xe0 | (c >> 12);
        destination[written + 1] = 0x80 | ((c >> 6) & 63);
        destination[written + 2] = 0x80 | (c & 63);
      } else {
        destination[written] = 0xf0 | (c >> 18);
        destination[written + 1] = 0x80 | ((c >> 12) & 63);
        destination[written + 2] = 0x80 | ((c >> 6) & 63);
        destination[written + 3] = 0x80 | (c & 63);
      }
      written += size;
      read += units;
      i += units;
    }
    return { read, written };
  }
}

const LABELS: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  "utf-16le": "utf-16le",
  "utf-16": "utf-16le",
  latin1: "windows-1252",
  "iso-8859-1": "windows-1252",
  ascii: "windows-1252",
  "us-ascii": "windows-1252",
  "windows-1252": "windows-1252",
};

/** The `TextDecoder` global. */
export class TextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  private _pending: Uint8Array = new Uint8Array(0);
  private _bomSeen = false;
  constructor(label = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const enc = LABELS[String(label).trim().toLowerCase()];
    if (!enc) throw new RangeError(`The "${label}" encoding is not supported`);
    this.encoding = enc;
    this.fatal = Boolean(options.fatal);
    this.ignoreBOM = Boolean(options.ignoreBOM);
  }
  /** Decodes bytes; with `{stream: true}` an incomplete trailing sequence waits for the next chunk. */
  decode(input?: ArrayBuffer | ArrayBufferView, options: { stream?: boolean } = {}): string {
    let u8 = input === undefined || input === null ? new Uint8Array(0) : bytesOf(input);
    const stream = Boolean(options.stream);
    if (this._pending.length) {
      const joined = new Uint8Array(this._pending.length + u8.length);
      joined.set(this._pending);
      joined.set(u8, this._pending.length);
      u8 = joined;
      this._pending = new Uint8Array(0);
    }
    let text: string;
    if (this.encoding === "utf-8") {
      if (!stream) text = utf8Decode(u8, this.fatal);
      else {
        const r = utf8DecodePrefix(u8, this.fatal, true);
        this._pending = u8.slice(r.used);
        text = r.text;
      }
    } else if (this.encoding === "utf-16le") {
      const even = u8.length & ~1;
      if (stream) this._pending = u8.slice(even);
      else if (even !== u8.length && this.fatal)
        throw new TypeError("The encoded data was not valid for encoding utf-16le");
      const codes: string[] = [];
      for (let i = 0; i < even; i += 2)
        codes.push(String.fromCharCode((u8[i] as number) | ((u8[i + 1] as number) << 8)));
      if (!stream && even !== u8.length) codes.push("\ufffd");
      text = codes.join("");
    } else {
      const codes: string[] = [];
      for (let i = 0; i < u8.length; i += 8192)
        codes.push(String.fromCharCode.apply(null, Array.from(u8.subarray(i, i + 8192))));
      text = codes.join("");
    }
    if (!this.ignoreBOM && !this._bomSeen && text.length) {
      this._bomSeen = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!stream) this._bomSeen = false;
    return text;
  }
}

tag(TextEncoder, "TextEncoder");
tag(TextDecoder, "TextDecoder");
defineGlobal("TextEncoder", TextEncoder);
defineGlobal("TextDecoder", TextDecoder);
