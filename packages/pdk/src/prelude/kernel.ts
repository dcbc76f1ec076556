// The raw kernel the engine's C glue installs as `globalThis.__capstan` (contract:
// ARCHITECTURE.md "engine <-> pdk", authoritative list in packages/engine/README.md).
// The prelude captures it once and deletes the global so plugin code cannot reach it.

/** Bytes as the kernel accepts them (the glue copies them in one bulk operation). */
export type KernelBytes = ArrayBuffer | Uint8Array;

/** Result of `httpRequest`: body as bytes, headers as an object (or its JSON text). */
export interface KernelHttpResponse {
  status: number;
  body: ArrayBuffer | Uint8Array | string | null;
  headers?: Record<string, string> | string | null;
}

/** Description of one declared `extism:host/user` import, in kernel index order. */
export interface KernelHostFunction {
  name: string;
  index?: number;
  params?: string[];
  /** Result type name ("void", "I32", "I64", "F32", "F64"), as the engine reports it. */
  result?: string;
  /** js-pdk style result count. */
  results?: number | string[];
}

/**
 * The `__capstan` object. Optional members are used when present, else JS fallbacks run.
 * Strings passed as bytes are encoded to UTF-8 by the kernel, lone surrogates as U+FFFD.
 */
export interface Kernel {
  inputBytes(): ArrayBuffer;
  /** Optional: the input decoded as UTF-8 natively. */
  inputString?(): string;
  /** Optional: a block's bytes decoded as UTF-8 natively. */
  readString?(offset: number | bigint): string;
  outputBytes(buf: KernelBytes | string): void;
  errorSet(msg: string): void;
  alloc(buf: KernelBytes | string): number | bigint;
  read(offset: number | bigint): ArrayBuffer | null;
  length(offset: number | bigint): number | bigint;
  free(offset: number | bigint): void;
  configGet(key: string): string | ArrayBuffer | null;
  varGet(key: string): ArrayBuffer | null;
  varSet(key: string, buf: KernelBytes | string | null): void;
  httpRequest(reqJson: string, body: KernelBytes | null): KernelHttpResponse;
  log(level: number, msg: string): void;
  logLevel(): number;
  randomBytes(n: number): ArrayBuffer;
  now(): number;
  hrtime(): number;
  hostCall(index: number, args: Array<number | bigint>): number | bigint | undefined;
  /** Optional: native UTF-8 encoding (much faster than JS for megabyte strings). */
  utf8Encode?(s: string): ArrayBuffer;
  /** Optional: native UTF-8 decoding with U+FFFD replacement; may throw on `fatal`. */
  utf8Decode?(buf: KernelBytes, fatal?: boolean): string;
  /** Optional (capstan-wasi.c): one variable of the allowed WASI environment, or null. */
  envGet?(name: string): string | null;
  /** Optional (capstan-wasi.c): names of the variables in the WASI environment. */
  envNames?(): string[];
  /** Optional (capstan-wasi.c): writes to fd 1 or 2; returns the byte count. */
  fdWrite?(fd: number, data: string | ArrayBuffer): number;
  /** Optional (capstan-wasi.c): a file's bytes; the path is absolute inside an allowed mount. */
  readFile?(path: string): ArrayBuffer;
  /** Optional (capstan-wasi.c): a directory's entries (no "." / ".."), same paths as readFile. */
  readDir?(path: string): Array<{ name: string; type: string }>;
  /** Optional (capstan-wasi.c): a path's type, size and times (symlinks followed). */
  stat?(path: string): { type: string; size: number; mtimeMs: number; atimeMs: number; ctimeMs: number };
  /** Optional (capstan-wasi.c): blocks for ms (WASI poll_oneoff), never past the call's deadline. */
  sleep?(ms: number): void;
  /** Optional (capstan-codec.c): base64 (or base64url without padding) of bytes. */
  base64Encode?(buf: KernelBytes, url?: boolean): string;
  /** Optional (capstan-codec.c): lenient base64/base64url decoding (skips others, stops at '='). */
  base64Decode?(s: string): ArrayBuffer;
  /** Optional (capstan-codec.c): lower-case hex of bytes. */
  hexEncode?(buf: KernelBytes): string;
  /** Optional (capstan-yaml.c): YAML stream -> documents (see src/yaml/backend.ts). */
  yamlParse?(text: string, positions: boolean, maxDepth: number, maxAliasNodes: number): unknown[];
  /** Optional (capstan-yaml.c): a plain value as one YAML document in the Go-YAML layout. */
  yamlStringify?(value: unknown, maxDepth: number): string;
  /** Optional (capstan-hash.c): SHA-1/SHA-256/SHA-384/SHA-512 digest ("SHA-256" spelling). */
  digest?(algorithm: string, buf: KernelBytes): ArrayBuffer;
  /** Optional (capstan-hash.c): HMAC of bytes under a key, with the named hash. */
  hmac?(algorithm: string, key: KernelBytes, buf: KernelBytes): ArrayBuffer;
  /** Optional (capstan-hash.c): constant-time equality of two byte strings. */
  timingSafeEqual?(a: KernelBytes, b: KernelBytes): boolean;
  /** Optional: the declared host functions (array or getter), see Host.getFunctions. */
  hostFunctions?: KernelHostFunction[] | (() => KernelHostFunction[]);
}

const g = globalThis as unknown as { __capstan?: Kernel };

function missing(): never {
  throw new Error("Capstan PDK: the engine kernel (__capstan) is not available in this context");
}

// Members every engine has; the stand-in throws for these and reports the optional ones absent.
const REQUIRED = new Set([
  "inputBytes",
  "outputBytes",
  "errorSet",
  "alloc",
  "read",
  "length",
  "free",
  "configGet",
  "varGet",
  "varSet",
  "httpRequest",
  "log",
  "logLevel",
  "randomBytes",
  "now",
  "hrtime",
  "hostCall",
]);

/** The captured kernel (a throwing stand-in when the prelude runs without one). */
export const kernel: Kernel =
  g.__capstan ??
  (new Proxy(
    {},
    { get: (_t, k) => (typeof k === "string" && REQUIRED.has(k) ? missing : undefined) },
  ) as unknown as Kernel);
try {
  delete g.__capstan;
} catch {
  // a non-configurable global stays; nothing else to do
}
