// URL and URLSearchParams following the WHATWG URL standard for the cases plugins meet:
// special schemes, relative resolution, dot segments, IPv4/IPv6 hosts, percent-encoding
// sets, setters and a live `searchParams`. Not implemented: full UTS #46 IDNA mapping.
import { defineGlobal, tag } from "./define.js";
import { parseHost, percentDecode, UrlFailure } from "./url-host.js";
import { utf8Decode, utf8Encode } from "./utf8.js";

const SPECIAL: Record<string, number | null> = {
  "ftp:": 21,
  "file:": null,
  "http:": 80,
  "https:": 443,
  "ws:": 80,
  "wss:": 443,
};

interface Rec {
  scheme: string; // with the colon, lower case
  username: string;
  password: string;
  host: string | null;
  port: number | null;
  path: string[] | string; // string = opaque path
  query: string | null;
  fragment: string | null;
}

const C0 = (c: number) => c < 0x20 || c > 0x7e;
const FRAGMENT = (c: number) => C0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
const QUERY = (c: number) => C0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
const SPECIAL_QUERY = (c: number) => QUERY(c) || c === 0x27;
const PATH = (c: number) => QUERY(c) || c === 0x3f || c === 0x5e || c === 0x60 || c === 0x7b || c === 0x7d;
const USERINFO = (c: number) =>
  PATH(c) ||
  c === 0x2f ||
  c === 0x3a ||
  c === 0x3b ||
  c === 0x3d ||
  c === 0x40 ||
  (c >= 0x5b && c <= 0x5d) ||
  c === 0x7c;
const FORM = (c: number) =>
  !(
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2a ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f
  );

function hex2(b: number): string {
  return `%${b < 16 ? "0" : ""}${b.toString(16).toUpperCase()}`;
}

function encode(s: string, set: (c: number) => boolean, spaceAsPlus = false): string {
  let simple = true;
  for (let i = 0; i < s.length; i++) if (set(s.charCodeAt(i))) simple = false;
  if (simple) return s;
  const u8 = utf8Encode(s);
  let out = "";
  for (let i = 0; i < u8.length; i++) {
    const b = u8[i] as number;
    if (spaceAsPlus && b === 0x20) out += "+";
    else out += set(b) ? hex2(b) : String.fromCharCode(b);
  }
  return out;
}

function fail(): never {
  throw new UrlFailure("Invalid URL");
}

const isSpecial = (r: { scheme: string }) => r.scheme in SPECIAL;
const isSlash = (c: string | undefined, special: boolean) => c === "/" || (special && c === "\\");
const isDot = (s: string) => s === "." || s.toLowerCase() === "%2e";
const isDotDot = (s: string) => /^(\.|%2e)(\.|%2e)$/i.test(s);
const isDriveLetter = (s: string) => /^[A-Za-z][:|]$/.test(s);

/** Appends the segments of `input` to `path` (dot segments resolved, segments encoded). */
function parsePath(input: string, path: string[], special: boolean, file: boolean): string[] {
  const segs = special ? input.split(/[/\\]/) : input.split("/");
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (isDotDot(seg)) {
      if (!(file && path.length === 1 && isDriveLetter(path[0] as string))) path.pop();
      if (last) path.push("");
    } else if (isDot(seg)) {
      if (last) path.push("");
    } else {
      if (file && path.length === 0 && isDriveLetter(seg)) seg = `${seg[0]}:`;
      path.push(encode(seg, PATH));
    }
  });
  return path;
}

function splitTail(rest: string, r: Rec, special: boolean): string {
  const h = rest.indexOf("#");
  if (h >= 0) {
    r.fragment = encode(rest.slice(h + 1), FRAGMENT);
    rest = rest.slice(0, h);
  }
  const q = rest.indexOf("?");
  if (q >= 0) {
    r.query = encode(rest.slice(q + 1), special ? SPECIAL_QUERY : QUERY);
    rest = rest.slice(0, q);
  }
  return rest;
}

function parsePort(s: string, scheme: string): number | null {
  if (s === "") return null;
  if (!/^[0-9]+$/.test(s)) fail();
  const n = Number(s);
  if (n > 65535) fail();
  return SPECIAL[scheme] === n ? null : n;
}

/** Parses `//authority/path?query#fragment` (the leading slashes already removed). */
function parseAuthority(s: string, r: Rec): void {
  const special = isSpecial(r);
  let end = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "/" || c === "?" || c === "#" || (special && c === "\\")) {
      end = i;
      break;
    }
  }
  let auth = s.slice(0, end);
  let rest = s.slice(end);
  if (r.scheme === "file:") {
    // file host state: no userinfo or port; a drive letter there is the path's first segment
    if (isDriveLetter(auth)) {
      rest = `/${auth}${rest}`;
      auth = "";
    }
    const h = auth === "" ? "" : parseHost(auth, true, (x) => encode(x, C0));
    r.host = h === "localhost" ? "" : h;
    const path = splitTail(rest, r, true);
    r.path = path === "" ? [""] : parsePath(path.slice(1), [], true, true);
    return;
  }
  const at = auth.lastIndexOf("@");
  if (at >= 0) {
    const info = auth.slice(0, at);
    const colon = info.indexOf(":");
    r.username = encode(colon >= 0 ? info.slice(0, colon) : info, USERINFO);
    r.password = colon >= 0 ? encode(info.slice(colon + 1), USERINFO) : "";
    auth = auth.slice(at + 1);
    if (auth === "") fail();
  }
  let hostPart = auth;
  const close = auth.lastIndexOf("]");
  const colon = auth.lastIndexOf(":");
  if (colon > close) {
    hostPart = auth.slice(0, colon);
    r.port = parsePort(auth.slice(colon + 1), r.scheme);
    if (hostPart === "") fail();
  }
  if (hostPart === "") {
    if (special) fail();
    r.host = "";
  } else r.host = parseHost(hostPart, special, (x) => encode(x, C0));
  const path = splitTail(rest, r, special);
  r.path = path === "" ? (special ? [""] : []) : parsePath(path.slice(1), [], special, r.scheme === "file:");
}

function blank(scheme: string): Rec {
  return {
    scheme,
    username: "",
    password: "",
    host: null,
    port: null,
    path: [],
    query: null,
    fragment: null,
  };
}

function parseRelative(input: string, base: Rec, scheme: string): Rec {
  const special = scheme in SPECIAL;
  const r: Rec = {
    ...base,
    path: Array.isArray(base.path) ? [...base.path] : base.path,
    query: base.query,
    fragment: null,
  };
  r.scheme = scheme;
  if (isSlash(input[0], special) && isSlash(input[1], special)) {
    const fresh = blank(scheme);
    // special schemes but file skip any further slashes ("special authority ignore slashes")
    parseAuthority(special && scheme !== "file:" ? input.replace(/^[/\\]+/, "") : input.slice(2), fresh);
    return fresh;
  }
  if (isSlash(input[0], special)) {
    r.query = null;
    const p = splitTail(input, r, special);
    const ownDrive = /^[A-Za-z][:|](?:$|[/\\?#])/.test(p.slice(1));
    const keepDrive =
      scheme === "file:" && !ownDrive && Array.isArray(base.path) && isDriveLetter(base.path[0] ?? "")
        ? [base.path[0] as string]
        : [];
    r.path = parsePath(p.slice(1), keepDrive, special, scheme === "file:");
    return r;
  }
  if (input.startsWith("?")) {
    r.query = null;
    splitTail(input, r, special);
    return r;
  }
  if (input.startsWith("#")) {
    splitTail(input, r, special);
    return r;
  }
  r.query = null;
  const p = splitTail(input, r, special);
  // a file path starting with a drive letter replaces the base path instead of joining it
  const ownDrive = scheme === "file:" && /^[A-Za-z][:|](?:$|[/\\?#])/.test(p);
  const dir = ownDrive ? [] : (r.path as string[]).slice(0, -1);
  if (p === "" && input === "") {
    r.query = base.query;
    return r;
  }
  r.path = parsePath(p, dir, special, scheme === "file:");
  return r;
}

/** Parses `input` against an optional base record (the WHATWG "basic URL parser"). */
function parse(input: string, base: Rec | null): Rec {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL standard names C0 control characters
  input = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(input);
  if (!m) {
    if (!base) fail();
    if (typeof base.path === "string") {
      if (!input.startsWith("#")) fail();
      return { ...base, fragment: encode(input.slice(1), FRAGMENT) };
    }
    return parseRelative(input, base, base.scheme);
  }
  const scheme = `${(m[1] as string).toLowerCase()}:`;
  let rest = input.slice(m[0].length);
  const special = scheme in SPECIAL;
  if (special) {
    if (scheme === "file:") {
      if (isSlash(rest[0], true) && isSlash(rest[1], true)) {
        const r = blank(scheme);
        parseAuthority(rest.slice(2), r);
        return r;
      }
      if (base && base.scheme === "file:") return parseRelative(rest, base, scheme);
      const r = blank(scheme);
      r.host = "";
      const p = splitTail(rest, r, true);
      r.path = parsePath(p.replace(/^[/\\]/, ""), [], true, true);
      return r;
    }
    // "special relative or authority" state: less than two slashes is relative to a same-scheme base
    if (base && base.scheme === scheme && !(isSlash(rest[0], true) && isSlash(rest[1], true))) {
      return parseRelative(rest, base, scheme);
    }
    rest = rest.replace(/^[/\\]*/, "");
    const r = blank(scheme);
    parseAuthority(rest, r);
    return r;
  }
  const r = blank(scheme);
  if (rest.startsWith("//")) {
    parseAuthority(rest.slice(2), r);
    return r;
  }
  if (rest.startsWith("/")) {
    const p = splitTail(rest, r, false);
    r.path = parsePath(p.slice(1), [], false, false);
    return r;
  }
  const p = splitTail(rest, r, false);
  r.path = encode(p, C0);
  return r;
}

function serializePath(r: Rec): string {
  if (typeof r.path === "string") return r.path;
  return r.path.map((s) => `/${s}`).join("");
}

function serialize(r: Rec, noFragment = false): string {
  let out = r.scheme;
  if (r.host !== null) {
    out += "//";
    if (r.username || r.password) out += `${r.username}${r.password ? `:${r.password}` : ""}@`;
    out += r.host;
    if (r.port !== null) out += `:${r.port}`;
  } else if (Array.isArray(r.path) && r.path.length > 1 && r.path[0] === "") out += "/.";
  out += serializePath(r);
  if (r.query !== null) out += `?${r.query}`;
  if (!noFragment && r.fragment !== null) out += `#${r.fragment}`;
  return out;
}

function toRec(url: string | URL, base?: string | URL): Rec {
  try {
    const b = base === undefined ? null : parse(String(base), null);
    return parse(String(url), b);
  } catch (e) {
    if (e instanceof UrlFailure) throw new TypeError(`Invalid URL: ${String(url)}`);
    throw e;
  }
}

function formDecode(s: string): string {
  return utf8Decode(percentDecode(s.replace(/\+/g, " ")));
}

function formParse(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of s.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    out.push(
      eq >= 0 ? [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))] : [formDecode(part), ""],
    );
  }
  return out;
}

const urlOf = new WeakMap<URLSearchParams, URL>();

/** The `URLSearchParams` global. */
export class URLSearchParams {
  private _list: Array<[string, string]> = [];
  constructor(
    init?: string | URLSearchParams | Iterable<readonly [string, string]> | Record<string, string>,
  ) {
    if (init === undefined || init === null) return;
    if (typeof init === "string") this._list = formParse(init.startsWith("?") ? init.slice(1) : init);
    else if (init instanceof URLSearchParams) this._list = init._list.map(([k, v]) => [k, v]);
    else if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") {
      for (const pair of init as Iterable<readonly [string, string]>) {
        const arr = Array.from(pair as Iterable<string>);
        if (arr.length !== 2) throw new TypeError("Each query pair must be an iterable [name, value] tuple");
        this._list.push([String(arr[0]), String(arr[1])]);
      }
    } else
      for (const k of Object.keys(init)) this._list.push([k, String((init as Record<string, string>)[k])]);
  }
  /** @internal replaces the list from a query string (used by URL). */
  _reset(query: string | null): void {
    this._list = query ? formParse(query) : [];
  }
  private _update(): void {
    const url = urlOf.get(this);
    if (url) url._setQueryFromParams(this.toString());
  }
  get size(): number {
    return this._list.length;
  }
  append(name: string, value: string): void {
    this._list.push([String(name), String(value)]);
    this._update();
  }
  delete(name: string, value?: string): void {
    this._list = this._list.filter(
      ([k, v]) => !(k === String(name) && (value === undefined || v === String(value))),
    );
    this._update();
  }
  get(name: string): string | null {
    const e = this._list.find(([k]) => k === String(name));
    return e ? e[1] : null;
  }
  getAll(name: string): string[] {
    return this._list.filter(([k]) => k === String(name)).map(([, v]) => v);
  }
  has(name: string, value?: string): boolean {
    return this._list.some(([k, v]) => k === String(name) && (value === undefined || v === String(value)));
  }
  set(name: string, value: string): void {
    const n = String(name);
    const i = this._list.findIndex(([k]) => k === n);
    if (i < 0) this._list.push([n, String(value)]);
    else {
      this._list[i] = [n, String(value)];
      this._list = this._list.filter(([k], j) => j <= i || k !== n);
    }
    this._update();
  }
  sort(): void {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    this._list = this._list
      .map((e, i) => [e, i] as const)
      .sort((x, y) => cmp(x[0][0], y[0][0]) || x[1] - y[1])
      .map(([e]) => e);
    this._update();
  }
  forEach(cb: (value: string, key: string, parent: URLSearchParams) => void, thisArg?: unknown): void {
    for (const [k, v] of this._list) cb.call(thisArg, v, k, this);
  }
  *keys(): IterableIterator<string> {
    for (const [k] of this._list) yield k;
  }
  *values(): IterableIterator<string> {
    for (const [, v] of this._list) yield v;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const [k, v] of this._list) yield [k, v];
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  toString(): string {
    return this._list.map(([k, v]) => `${encode(k, FORM, true)}=${encode(v, FORM, true)}`).join("&");
  }
}

/** The `URL` global. */
export class URL {
  private _r: Rec;
  private _sp: URLSearchParams;
  constructor(url: string | URL, base?: string | URL) {
    this._r = toRec(url, base);
    this._sp = new URLSearchParams();
    this._sp._reset(this._r.query);
    urlOf.set(this._sp, this);
  }
  /** True when `new URL(url, base)` would succeed. */
  static canParse(url: string | URL, base?: string | URL): boolean {
    try {
      toRec(url, base);
      return true;
    } catch {
      return false;
    }
  }
  /** The URL, or null when it cannot be parsed. */
  static parse(url: string | URL, base?: string | URL): URL | null {
    try {
      return new URL(url, base);
    } catch {
      return null;
    }
  }
  /** @internal */
  _setQueryFromParams(q: string): void {
    this._r.query = q === "" ? null : q;
  }
  private _set(fn: (r: Rec) => void): void {
    const copy: Rec = { ...this._r, path: Array.isArray(this._r.path) ? [...this._r.path] : this._r.path };
    try {
      fn(copy);
      this._r = copy;
    } catch (e) {
      if (!(e instanceof UrlFailure)) throw e;
    }
  }
  get href(): string {
    return serialize(this._r);
  }
  set href(v: string) {
    this._r = toRec(v);
    this._sp._reset(this._r.query);
  }
  get origin(): string {
    const r = this._r;
    if (r.scheme === "blob:") {
      try {
        const inner = new URL(serializePath(r));
        return inner.protocol === "http:" || inner.protocol === "https:" ? inner.origin : "null";
      } catch {
        return "null";
      }
    }
    if (!isSpecial(r) || r.scheme === "file:") return "null";
    return `${r.scheme}//${r.host}${r.port !== null ? `:${r.port}` : ""}`;
  }
  get protocol(): string {
    return this._r.scheme;
  }
  set protocol(v: string) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*)/.exec(String(v));
    if (!m) return;
    const scheme = `${(m[1] as string).toLowerCase()}:`;
    if (scheme in SPECIAL !== isSpecial(this._r)) return;
    if (scheme === "file:" && (this._r.username || this._r.password || this._r.port !== null)) return;
    this._r.scheme = scheme;
    if (this._r.port === SPECIAL[scheme]) this._r.port = null;
  }
  get username(): string {
    return this._r.username;
  }
  set username(v: string) {
    if (this._r.host === null || this._r.host === "" || this._r.scheme === "file:") return;
    this._r.username = encode(String(v), USERINFO);
  }
  get password(): string {
    return this._r.password;
  }
  set password(v: string) {
    if (this._r.host === null || this._r.host === "" || this._r.scheme === "file:") return;
    this._r.password = encode(String(v), USERINFO);
  }
  get host(): string {
    const r = this._r;
    if (r.host === null) return "";
    return r.port === null ? r.host : `${r.host}:${r.port}`;
  }
  set host(v: string) {
    this._setHost(v, true);
  }
  get hostname(): string {
    return this._r.host ?? "";
  }
  set hostname(v: string) {
    this._setHost(v, false);
  }
  // The host and hostname setters (WHATWG host state with a state override): `host` also takes
  // a port; for `hostname`, a port (a colon outside brackets) makes the whole assignment a no-op.
  private _setHost(v: string, withPort: boolean): void {
    if (typeof this._r.path === "string") return;
    const s = String(v).split(/[/?#\\]/)[0] as string;
    const close = s.lastIndexOf("]");
    const colon = s.lastIndexOf(":");
    if (!withPort && colon > close) return;
    this._set((r) => {
      const h = colon > close ? s.slice(0, colon) : s;
      if (h === "" && isSpecial(r)) throw new UrlFailure("empty host");
      r.host = parseHost(h, isSpecial(r), (x) => encode(x, C0));
      if (colon > close) {
        const digits = /^[0-9]*/.exec(s.slice(colon + 1))?.[0] ?? "";
        if (digits !== "") r.port = parsePort(digits, r.scheme);
      }
    });
  }
  get port(): string {
    return this._r.port === null ? "" : String(this._r.port);
  }
  set port(v: string) {
    if (this._r.host === null || this._r.host === "" || this._r.scheme === "file:") return;
    const s = String(v);
    if (s === "") {
      this._r.port = null;
      return;
    }
    const digits = /^[0-9]*/.exec(s)?.[0] ?? "";
    if (digits === "") return;
    this._set((r) => {
      r.port = parsePort(digits, r.scheme);
    });
  }
  get pathname(): string {
    return serializePath(this._r);
  }
  set pathname(v: string) {
    if (typeof this._r.path === "string") return;
    const special = isSpecial(this._r);
    const s = String(v);
    const body = isSlash(s[0], special) ? s.slice(1) : s;
    this._r.path = special || s !== "" ? parsePath(body, [], special, this._r.scheme === "file:") : [];
  }
  get search(): string {
    return this._r.query ? `?${this._r.query}` : "";
  }
  set search(v: string) {
    const s = String(v);
    const q = s.startsWith("?") ? s.slice(1) : s;
    this._r.query = s === "" ? null : encode(q, isSpecial(this._r) ? SPECIAL_QUERY : QUERY);
    this._sp._reset(this._r.query);
  }
  get searchParams(): URLSearchParams {
    return this._sp;
  }
  get hash(): string {
    return this._r.fragment ? `#${this._r.fragment}` : "";
  }
  set hash(v: string) {
    const s = String(v);
    this._r.fragment = s === "" ? null : encode(s.startsWith("#") ? s.slice(1) : s, FRAGMENT);
  }
  toString(): string {
    return this.href;
  }
  toJSON(): string {
    return this.href;
  }
}

for (const k of [
  "href",
  "origin",
  "protocol",
  "username",
  "password",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "searchParams",
  "hash",
]) {
  const d = Object.getOwnPropertyDescriptor(URL.prototype, k);
  if (d) Object.defineProperty(URL.prototype, k, { ...d, enumerable: true });
}
tag(URL, "URL");
tag(URLSearchParams, "URLSearchParams");
defineGlobal("URL", URL);
defineGlobal("URLSearchParams", URLSearchParams);
