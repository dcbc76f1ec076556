// Host parsing for URL (WHATWG URL "host parser"): IPv4 (decimal/octal/hex parts), IPv6 with
// compression, domains lower-cased and converted to punycode (no full UTS #46 mapping).
import { utf8Decode, utf8Encode } from "./utf8.js";

/** Thrown by parsers; URL turns it into `TypeError: Invalid URL`. */
export class UrlFailure extends Error {}

function fail(): never {
  throw new UrlFailure("Invalid URL");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the URL standard names C0 control characters
const FORBIDDEN_HOST = /[\u0000\t\n\r #/:<>?@[\\\]^|]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the URL standard names C0 control characters
const FORBIDDEN_DOMAIN = /[\u0000-\u001f #%/:<>?@[\\\]^|\u007f]/;

function parseIPv4Number(s: string): number {
  if (s === "") return Number.NaN;
  let radix = 10;
  if (/^0[xX]/.test(s)) {
    s = s.slice(2);
    radix = 16;
  } else if (s.length > 1 && s[0] === "0") {
    s = s.slice(1);
    radix = 8;
  }
  if (s === "") return 0;
  const re = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return re.test(s) ? Number.parseInt(s, radix) : Number.NaN;
}

function endsInNumber(host: string): boolean {
  const parts = host.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  const last = parts[parts.length - 1] as string;
  return /^[0-9]+$/.test(last) || /^0[xX][0-9a-fA-F]*$/.test(last);
}

function parseIPv4(host: string): string {
  const parts = host.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) fail();
  const nums = parts.map(parseIPv4Number);
  if (nums.some((n) => Number.isNaN(n))) fail();
  const last = nums.pop() as number;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) fail();
  let v = last;
  nums.forEach((n, i) => {
    v += n * 256 ** (3 - i);
  });
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
}

function parseIPv6(s: string): string {
  const pieces = [0, 0, 0, 0, 0, 0, 0, 0];
  let idx = 0;
  let compress: number | null = null;
  let p = 0;
  if (s[0] === ":") {
    if (s[1] !== ":") fail();
    p = 2;
    compress = ++idx;
  }
  while (p < s.length) {
    if (idx === 8) fail();
    if (s[p] === ":") {
      if (compress !== null) fail();
      p++;
      compress = ++idx;
      continue;
    }
    let value = 0;
    let len = 0;
    while (len < 4 && p < s.length && /[0-9a-fA-F]/.test(s[p] as string)) {
      value = value * 16 + Number.parseInt(s[p] as string, 16);
      p++;
      len++;
    }
    if (s[p] === ".") {
      if (len === 0 || idx > 6) fail();
      p -= len;
      const v4 = s.slice(p).split(".");
      if (v4.length !== 4 || v4.some((x) => !/^(0|[1-9][0-9]{0,2})$/.test(x) || Number(x) > 255)) fail();
      const n = v4.map(Number) as [number, number, number, number];
      pieces[idx++] = n[0] * 256 + n[1];
      pieces[idx++] = n[2] * 256 + n[3];
      p = s.length;
      break;
    }
    if (s[p] === ":") {
      p++;
      if (p >= s.length) fail();
    } else if (p < s.length) fail();
    pieces[idx++] = value;
  }
  if (compress !== null) {
    let swaps = idx - compress;
    idx = 7;
    while (idx !== 0 && swaps > 0) {
      const t = pieces[compress + swaps - 1] as number;
      pieces[compress + swaps - 1] = pieces[idx] as number;
      pieces[idx] = t;
      idx--;
      swaps--;
    }
  } else if (idx !== 8) fail();
  // serialize: compress the first longest run of two or more zero pieces
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && pieces[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      out += i === 0 ? "::" : ":";
      i += bestLen - 1;
      continue;
    }
    out += (pieces[i] as number).toString(16) + (i < 7 ? ":" : "");
  }
  return `[${out}]`;
}

function punycode(label: string): string {
  const cps = Array.from(label, (c) => c.codePointAt(0) as number);
  let out = cps
    .filter((c) => c < 0x80)
    .map((c) => String.fromCharCode(c))
    .join("");
  const basic = out.length;
  let h = basic;
  if (basic) out += "-";
  let n = 128;
  let delta = 0;
  let bias = 72;
  const digit = (d: number) => String.fromCharCode(d + 22 + 75 * (d < 26 ? 1 : 0));
  const adapt = (d: number, num: number, first: boolean) => {
    d = first ? Math.floor(d / 700) : d >> 1;
    d += Math.floor(d / num);
    let k = 0;
    for (; d > 455; k += 36) d = Math.floor(d / 35);
    return k + Math.floor((36 * d) / (d + 38));
  };
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = 36; ; k += 36) {
          const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (36 - t)));
          q = Math.floor((q - t) / (36 - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === basic);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return `xn--${out}`;
}

/** Percent-decodes a string's UTF-8 bytes (`%41` -> 0x41; malformed escapes stay literal). */
export function percentDecode(s: string): Uint8Array {
  const u8 = utf8Encode(s);
  const out = new Uint8Array(u8.length);
  let o = 0;
  const hex = (c: number) =>
    c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
  for (let i = 0; i < u8.length; i++) {
    const c = u8[i] as number;
    if (c === 37 && hex(u8[i + 1] ?? 0) >= 0 && hex(u8[i + 2] ?? 0) >= 0) {
      out[o++] = hex(u8[i + 1] as number) * 16 + hex(u8[i + 2] as number);
      i += 2;
    } else out[o++] = c;
  }
  return out.subarray(0, o);
}

/** Parses a host; `special` selects domain rules, else the opaque-host rules apply. */
export function parseHost(input: string, special: boolean, encodeC0: (s: string) => string): string {
  if (input.startsWith("[")) {
    if (!input.endsWith("]")) fail();
    return parseIPv6(input.slice(1, -1));
  }
  if (!special) {
    if (FORBIDDEN_HOST.test(input)) fail();
    return encodeC0(input);
  }
  const domain = utf8Decode(percentDecode(input))
    .replace(/[\u3002\uff0e\uff61]/g, ".")
    .toLowerCase();
  let ascii = domain;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL standard names C0 control characters
  if (/[^\x00-\x7f]/.test(domain)) {
    ascii = domain
      .normalize("NFC")
      .split(".")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL standard names C0 control characters
      .map((l) => (/[^\x00-\x7f]/.test(l) ? punycode(l) : l))
      .join(".");
  }
  if (ascii === "" || FORBIDDEN_DOMAIN.test(ascii)) fail();
  return endsInNumber(ascii) ? parseIPv4(ascii) : ascii;
}
