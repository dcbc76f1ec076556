// biome-ignore-all lint/suspicious/noExplicitAny: mirrors the DOM/js-pdk declarations, which use any
// The globals every Capstan plugin sees (the Extism js-pdk surface plus Web/Node basics).
// Names and behaviour follow @extism/js-pdk; Capstan additions are marked. Intended for
// projects compiled with `"lib": ["ES2020"]` and no DOM/node types.

/** 32-bit integer parameter/result of an export or host function. */
declare type I32 = number;
/** 64-bit integer (numbers up to 2^53, BigInt beyond). */
declare type I64 = number | bigint;
/** 32-bit float. */
declare type F32 = number;
/** 64-bit float. */
declare type F64 = number;
/** An offset into Extism memory (an I64). */
declare type PTR = I64;

declare module "extism:host" {
  /** Host functions the plugin imports; augment in the interface file. */
  interface user {}
}

declare module "main" {}

/** A block of Extism memory (from Memory.* or a host function result). */
interface MemoryHandle {
  offset: PTR;
  len: I64;
  readString(): string;
  readUInt32(): number;
  readUInt64(): bigint;
  readFloat32(): number;
  /** Reads a float64 (js-pdk's spelling). */
  readUFloat64(): number;
  /** Capstan alias of readUFloat64. */
  readFloat64(): number;
  readBytes(): ArrayBuffer;
  readJsonObject<T = any>(): T;
  free(): void;
}
declare var MemoryHandle: {
  prototype: MemoryHandle;
  new (offset: PTR, len: I64): MemoryHandle;
};

interface Memory {
  fromString(str: string): MemoryHandle;
  fromBuffer(bytes: ArrayBufferLike | ArrayBufferView): MemoryHandle;
  fromJsonObject(obj: unknown): MemoryHandle;
  allocUInt32(i: number): MemoryHandle;
  allocUInt64(i: bigint): MemoryHandle;
  allocFloat32(i: number): MemoryHandle;
  allocFloat64(i: number): MemoryHandle;
  find(offset: PTR): MemoryHandle;
}
declare var Memory: Memory;

interface Host {
  /** Calls host function `id` (declaration order); js-pdk compatibility. */
  invokeFunc(id: number, ...args: unknown[]): unknown;
  invokeFunc0(id: number, ...args: unknown[]): void;
  /** The call input as bytes. */
  inputBytes(): ArrayBufferLike;
  /** The call input decoded as UTF-8. */
  inputString(): string;
  /** Sets the output (ArrayBuffer or any typed array). */
  outputBytes(output: ArrayBufferLike | ArrayBufferView): boolean;
  /** Sets the output to a string (UTF-8). */
  outputString(output: string): boolean;
  /** The declared extism:host/user imports, callable with numbers/BigInts. */
  getFunctions(): import("extism:host").user;
  arrayBufferToBase64(input: ArrayBuffer | ArrayBufferView): string;
  base64ToArrayBuffer(input: string): ArrayBuffer;
}
declare var Host: Host;

declare var Config: {
  /** The config value for `key` (plugin.yaml runtimeConfig.config), or null. */
  get(key: string): string | null;
};

declare var Var: {
  /** Stores a value that outlives the call (null deletes: Capstan addition). */
  set(name: string, value: string | ArrayBufferLike | ArrayBufferView | null): void;
  getBytes(name: string): ArrayBufferLike | null;
  getString(name: string): string | null;
};

interface HttpRequest {
  url: string;
  method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "CONNECT" | "OPTIONS" | "TRACE" | "PATCH";
  headers?: Record<string, string | number | boolean>;
  /** Capstan addition: give up after so many ms (throws a catchable error; default: no limit). */
  timeoutMs?: number;
}
interface HttpResponse {
  /** The body decoded as UTF-8. */
  body: string;
  status: number;
  /** Response headers, lower-case names (Capstan: always present). */
  headers: Record<string, string>;
  /** The raw body bytes (Capstan addition, for binary responses). */
  readonly bodyBytes: ArrayBuffer;
}
declare var Http: {
  /**
   * Synchronous HTTP through the host; only hosts in allowedHosts are reachable. Connection
   * refused, DNS errors, `timeoutMs` and sandbox refusals throw an `Error` (name "HttpError")
   * with `code` ("http" | "http-denied" | "http-limit") and `hint`, so a plugin can catch them.
   */
  request(req: HttpRequest, body?: string | ArrayBufferLike | ArrayBufferView): HttpResponse;
};

interface Console {
  log(...data: any[]): void;
  info(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
  debug(...data: any[]): void;
  trace(...data: any[]): void;
  dir(item?: any): void;
  assert(condition?: boolean, ...data: any[]): void;
  table(tabularData?: any, properties?: string[]): void;
  time(label?: string): void;
  timeLog(label?: string, ...data: any[]): void;
  timeEnd(label?: string): void;
  count(label?: string): void;
  countReset(label?: string): void;
  group(...data: any[]): void;
  groupCollapsed(...data: any[]): void;
  groupEnd(): void;
}
declare var console: Console;

interface TextEncoderEncodeIntoResult {
  read: number;
  written: number;
}
interface TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): TextEncoderEncodeIntoResult;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBufferLike | ArrayBufferView, options?: { stream?: boolean }): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};

interface URLSearchParams {
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  toString(): string;
  forEach(callbackfn: (value: string, key: string, parent: URLSearchParams) => void, thisArg?: any): void;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
declare var URLSearchParams: {
  prototype: URLSearchParams;
  new (init?: string[][] | Record<string, string> | string | URLSearchParams): URLSearchParams;
};

interface URL {
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
  toJSON(): string;
}
declare var URL: {
  prototype: URL;
  new (url: string | URL, base?: string | URL): URL;
  canParse(url: string | URL, base?: string | URL): boolean;
  parse(url: string | URL, base?: string | URL): URL | null;
};

interface URLPatternInit {
  protocol?: string;
  username?: string;
  password?: string;
  hostname?: string;
  port?: string;
  pathname?: string;
  search?: string;
  hash?: string;
  baseURL?: string;
}
interface URLPatternComponentResult {
  input: string;
  groups: Record<string, string | undefined>;
}
interface URLPatternResult {
  inputs: Array<string | URLPatternInit>;
  protocol: URLPatternComponentResult;
  username: URLPatternComponentResult;
  password: URLPatternComponentResult;
  hostname: URLPatternComponentResult;
  port: URLPatternComponentResult;
  pathname: URLPatternComponentResult;
  search: URLPatternComponentResult;
  hash: URLPatternComponentResult;
}
interface URLPattern {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  test(input?: string | URLPatternInit, baseURL?: string): boolean;
  exec(input?: string | URLPatternInit, baseURL?: string): URLPatternResult | null;
}
declare var URLPattern: {
  prototype: URLPattern;
  new (input?: string | URLPatternInit, baseURL?: string, options?: { ignoreCase?: boolean }): URLPattern;
  new (input?: string | URLPatternInit, options?: { ignoreCase?: boolean }): URLPattern;
};

declare function atob(data: string): string;
declare function btoa(data: string): string;
declare function structuredClone<T = any>(value: T, options?: { transfer?: any[] }): T;
declare function queueMicrotask(callback: () => void): void;
/** Timers run in virtual time: ordered by delay, never actually waited for. */
declare function setTimeout(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
declare function setInterval(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;

type HashAlgorithmIdentifier = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512" | string | { name: string };
interface HmacImportParams {
  name: "HMAC" | string;
  hash: HashAlgorithmIdentifier;
  /** Key length in bits (defaults to the key's byte length * 8, or the hash's block size when generating). */
  length?: number;
}
interface JsonWebKey {
  kty?: string;
  k?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  ext?: boolean;
}
/** A secret HMAC key (crypto.subtle.importKey/generateKey). */
interface CryptoKey {
  readonly type: "secret";
  readonly extractable: boolean;
  readonly algorithm: { name: "HMAC"; hash: { name: string }; length: number };
  readonly usages: Array<"sign" | "verify">;
}
declare var CryptoKey: { prototype: CryptoKey };
/** Native (C) hashing: SHA-1/256/384/512 digests and HMAC. Other algorithms reject with NotSupportedError. */
interface SubtleCrypto {
  digest(algorithm: HashAlgorithmIdentifier, data: ArrayBufferLike | ArrayBufferView): Promise<ArrayBuffer>;
  importKey(
    format: "raw",
    keyData: ArrayBufferLike | ArrayBufferView,
    algorithm: HmacImportParams,
    extractable: boolean,
    keyUsages: Array<"sign" | "verify">,
  ): Promise<CryptoKey>;
  importKey(
    format: "jwk",
    keyData: JsonWebKey,
    algorithm: HmacImportParams,
    extractable: boolean,
    keyUsages: Array<"sign" | "verify">,
  ): Promise<CryptoKey>;
  generateKey(
    algorithm: HmacImportParams,
    extractable: boolean,
    keyUsages: Array<"sign" | "verify">,
  ): Promise<CryptoKey>;
  exportKey(format: "raw", key: CryptoKey): Promise<ArrayBuffer>;
  exportKey(format: "jwk", key: CryptoKey): Promise<JsonWebKey>;
  sign(
    algorithm: "HMAC" | { name: "HMAC" },
    key: CryptoKey,
    data: ArrayBufferLike | ArrayBufferView,
  ): Promise<ArrayBuffer>;
  verify(
    algorithm: "HMAC" | { name: "HMAC" },
    key: CryptoKey,
    signature: ArrayBufferLike | ArrayBufferView,
    data: ArrayBufferLike | ArrayBufferView,
  ): Promise<boolean>;
}
interface Crypto {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
}
declare var crypto: Crypto;

interface Performance {
  now(): number;
  readonly timeOrigin: number;
}
declare var performance: Performance;
/** The global object (as in browsers, workers and the js-pdk). */
declare var self: typeof globalThis;

interface DOMException extends Error {
  readonly code: number;
}
declare var DOMException: { prototype: DOMException; new (message?: string, name?: string): DOMException };

interface Event {
  readonly type: string;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly composed: boolean;
  readonly defaultPrevented: boolean;
  readonly timeStamp: number;
  readonly target: EventTarget | null;
  readonly currentTarget: EventTarget | null;
  preventDefault(): void;
  stopPropagation(): void;
  stopImmediatePropagation(): void;
}
declare var Event: {
  prototype: Event;
  new (type: string, init?: { bubbles?: boolean; cancelable?: boolean; composed?: boolean }): Event;
};
type EventListenerOrEventListenerObject = ((event: Event) => void) | { handleEvent(event: Event): void };
interface EventTarget {
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | { capture?: boolean; once?: boolean },
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | { capture?: boolean },
  ): void;
  dispatchEvent(event: Event): boolean;
}
declare var EventTarget: { prototype: EventTarget; new (): EventTarget };

interface AbortSignal extends EventTarget {
  readonly aborted: boolean;
  readonly reason: any;
  onabort: ((event: Event) => void) | null;
  throwIfAborted(): void;
}
declare var AbortSignal: {
  prototype: AbortSignal;
  new (): AbortSignal;
  abort(reason?: any): AbortSignal;
  /** Aborts after `ms` of virtual time (timers here do not wait). */
  timeout(ms: number): AbortSignal;
  any(signals: Iterable<AbortSignal>): AbortSignal;
};
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: any): void;
}
declare var AbortController: { prototype: AbortController; new (): AbortController };

type HeadersInit = Headers | Array<[string, string]> | Record<string, string>;
interface Headers {
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  getSetCookie(): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  forEach(callbackfn: (value: string, key: string, parent: Headers) => void, thisArg?: any): void;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
declare var Headers: { prototype: Headers; new (init?: HeadersInit): Headers };

type BodyInit = string | ArrayBufferLike | ArrayBufferView | URLSearchParams | null;
interface Body {
  /** The body bytes (a Uint8Array here, not a ReadableStream). */
  readonly body: Uint8Array | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  json(): Promise<any>;
  text(): Promise<string>;
}
interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit;
  /** An already aborted signal rejects the fetch (requests are synchronous: no later abort). */
  signal?: AbortSignal | null;
}
interface Request extends Body {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  clone(): Request;
}
declare var Request: { prototype: Request; new (input: string | URL | Request, init?: RequestInit): Request };
interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}
interface Response extends Body {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Headers;
  readonly type: string;
  readonly url: string;
  readonly redirected: boolean;
  clone(): Response;
}
declare var Response: {
  prototype: Response;
  new (body?: BodyInit, init?: ResponseInit): Response;
  json(data: any, init?: ResponseInit): Response;
  error(): Response;
};
/** fetch over the host's synchronous HTTP (the promise is settled on return). */
declare function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;

type BufferEncoding =
  | "utf8"
  | "utf-8"
  | "hex"
  | "base64"
  | "base64url"
  | "latin1"
  | "binary"
  | "ascii"
  | "utf16le"
  | "ucs2";
interface Buffer extends Uint8Array {
  toString(encoding?: BufferEncoding, start?: number, end?: number): string;
  toJSON(): { type: "Buffer"; data: number[] };
  equals(other: Uint8Array): boolean;
  compare(other: Uint8Array): number;
  slice(start?: number, end?: number): Buffer;
  subarray(start?: number, end?: number): Buffer;
  copy(target: Uint8Array, targetStart?: number, sourceStart?: number, sourceEnd?: number): number;
  write(string: string, offset?: number, length?: number, encoding?: BufferEncoding): number;
  fill(value: string | number | Uint8Array, start?: number, end?: number, encoding?: BufferEncoding): this;
  indexOf(value: string | number | Uint8Array, byteOffset?: number, encoding?: BufferEncoding): number;
  includes(value: string | number | Uint8Array, byteOffset?: number, encoding?: BufferEncoding): boolean;
  readUInt8(offset?: number): number;
  readInt8(offset?: number): number;
  readUInt16LE(offset?: number): number;
  readUInt16BE(offset?: number): number;
  readInt16LE(offset?: number): number;
  readInt16BE(offset?: number): number;
  readUInt32LE(offset?: number): number;
  readUInt32BE(offset?: number): number;
  readInt32LE(offset?: number): number;
  readInt32BE(offset?: number): number;
  readBigUInt64LE(offset?: number): bigint;
  readBigUInt64BE(offset?: number): bigint;
  readBigInt64LE(offset?: number): bigint;
  readBigInt64BE(offset?: number): bigint;
  readFloatLE(offset?: number): number;
  readFloatBE(offset?: number): number;
  readDoubleLE(offset?: number): number;
  readDoubleBE(offset?: number): number;
  writeUInt8(value: number, offset?: number): number;
  writeInt8(value: number, offset?: number): number;
  writeUInt16LE(value: number, offset?: number): number;
  writeUInt16BE(value: number, offset?: number): number;
  writeInt16LE(value: number, offset?: number): number;
  writeInt16BE(value: number, offset?: number): number;
  writeUInt32LE(value: number, offset?: number): number;
  writeUInt32BE(value: number, offset?: number): number;
  writeInt32LE(value: number, offset?: number): number;
  writeInt32BE(value: number, offset?: number): number;
  writeBigUInt64LE(value: bigint, offset?: number): number;
  writeBigUInt64BE(value: bigint, offset?: number): number;
  writeBigInt64LE(value: bigint, offset?: number): number;
  writeBigInt64BE(value: bigint, offset?: number): number;
  writeFloatLE(value: number, offset?: number): number;
  writeFloatBE(value: number, offset?: number): number;
  writeDoubleLE(value: number, offset?: number): number;
  writeDoubleBE(value: number, offset?: number): number;
}
declare var Buffer: {
  prototype: Buffer;
  from(data: string, encoding?: BufferEncoding): Buffer;
  from(data: ArrayBufferLike, byteOffset?: number, length?: number): Buffer;
  from(data: Uint8Array | ReadonlyArray<number> | { type: "Buffer"; data: number[] }): Buffer;
  alloc(size: number, fill?: string | number | Uint8Array, encoding?: BufferEncoding): Buffer;
  allocUnsafe(size: number): Buffer;
  allocUnsafeSlow(size: number): Buffer;
  concat(list: ReadonlyArray<Uint8Array>, totalLength?: number): Buffer;
  isBuffer(obj: any): obj is Buffer;
  isEncoding(encoding: string): encoding is BufferEncoding;
  byteLength(string: string | ArrayBufferLike | ArrayBufferView, encoding?: BufferEncoding): number;
  compare(a: Uint8Array, b: Uint8Array): -1 | 0 | 1;
};

// --- WASI access (Capstan extension, prelude/process.ts) -------------------------------------
/** A small Node-compatible `process`: env (runtimeConfig.env allowlist), stdout/stderr (cli/v1). */
declare var process: {
  env: Record<string, string | undefined>;
  argv: string[];
  platform: "wasi";
  versions: Record<string, string>;
  stdout: { fd: 1; isTTY: false; write(chunk: string | Uint8Array | ArrayBuffer, cb?: () => void): boolean };
  stderr: { fd: 2; isTTY: false; write(chunk: string | Uint8Array | ArrayBuffer, cb?: () => void): boolean };
  exitCode: number | undefined;
  /** PWD when the host allows it (runtimeConfig.env), else "/". */
  cwd(): string;
  nextTick(fn: (...args: unknown[]) => void, ...args: unknown[]): void;
  emitWarning(warning: string | Error): void;
};
/** Capstan extensions for files under runtimeConfig.allowedPaths (absolute guest paths). */
/** A path's metadata from Capstan.stat (Capstan extension). */
interface CapstanStat {
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  mtimeMs: number;
  atimeMs: number;
  ctimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
}
declare var Capstan: {
  /** Bytes of a file; `path` is absolute inside a runtimeConfig.allowedPaths mount (or /tmp). */
  readFile(path: string): Uint8Array;
  readTextFile(path: string): string;
  /** A directory's entries, sorted by name (no "." or ".."). */
  readDir(path: string): Array<{ name: string; type: "file" | "directory" | "symlink" | "other" }>;
  /** Type, size and times of a path (symlinks followed); throws naming the path when missing. */
  stat(path: string): CapstanStat;
};
