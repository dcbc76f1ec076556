// An in-memory `__capstan` kernel for running the prelude in a node:vm context. It mirrors
// the engine's C glue (packages/engine/csrc/capstan-*.c): same names, same value shapes, same
// errors (class name and message), buffers created in the plugin's realm. The compiler's
// kernel-contract test runs support/kernel-contract.js on this and on the real engine and
// requires equal results, so add a contract case with every behaviour you add here.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A host function the fake kernel can call: its declaration and implementation. */
export interface FakeHostFunction {
  name: string;
  params: string[];
  result: string;
  impl: (...args: Array<number | bigint>) => number | bigint | undefined;
}

/** What an HTTP handler receives and returns. */
export interface FakeHttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

/** Options of the fake kernel. */
export interface FakeKernelOptions {
  input?: Uint8Array | string;
  config?: Record<string, string>;
  logLevel?: number;
  http?: (req: FakeHttpRequest) => {
    status: number;
    body?: Uint8Array | string;
    headers?: Record<string, string>;
  };
  hostFunctions?: FakeHostFunction[];
  /** WASI environment (enables envGet/envNames). */
  env?: Record<string, string>;
  /** Files readable through readFile (enables it), by absolute guest path; the directory of
   *  each file counts as a mount (runtimeConfig.allowedPaths). */
  files?: Record<string, string>;
  /** Captures fdWrite (enables it). */
  fds?: Record<number, string>;
  /** Adds the engine's optional native codecs (utf8, base64, hex), implemented with Node's. */
  natives?: boolean;
}

/** The kernel plus the state tests inspect. */
export interface FakeKernel {
  kernel: Record<string, unknown>;
  blocks: Map<number, Uint8Array>;
  vars: Map<string, Uint8Array>;
  logs: Array<[number, string]>;
  output: () => Uint8Array | null;
  error: () => string | null;
  /** The host trap that ended the call, if any (the realm's run() rethrows it). */
  trap: () => FakeHostTrap | null;
  setInput: (input: Uint8Array | string) => void;
  options: FakeKernelOptions;
  /** The waits the prelude asked for through kernel.sleep, in ms. */
  sleeps: number[];
}

/** A host trap: the Wasm call ends, and no JS in the plugin sees it (see createFakeKernel). */
export class FakeHostTrap extends Error {
  override name = "FakeHostTrap";
}

/** QuickJS's InternalError, which the engine throws for I/O failures (Node has no such class). */
function internalError(message: string): Error {
  const e = new Error(message);
  e.name = "InternalError";
  return e;
}

/** Bytes (binary only: the engine's codecs take no strings). */
function binaryBytes(v: unknown): Uint8Array {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  if (Object.prototype.toString.call(v) === "[object ArrayBuffer]")
    return new Uint8Array(v as ArrayBuffer).slice();
  throw new TypeError("expected an ArrayBuffer or a typed array");
}

/** Bytes, or a string as UTF-8 (lone surrogates as U+FFFD, like the engine). */
function toBytes(v: unknown): Uint8Array {
  if (typeof v === "string") return new Uint8Array(Buffer.from(v, "utf8"));
  try {
    return binaryBytes(v);
  } catch {
    throw new TypeError("expected a string, ArrayBuffer or typed array");
  }
}

/** node:crypto's name of a Web Crypto hash ("SHA-256" -> "sha256"), as capstan-hash.c accepts them. */
function nodeHash(alg: string): string {
  if (!/^SHA-(1|256|384|512)$/.test(alg)) throw new TypeError(`Unrecognized algorithm name: ${alg}`);
  return alg.replace("-", "").toLowerCase();
}

/** Creates a fake kernel whose ArrayBuffers belong to the realm of `realmUint8Array`. */
export function createFakeKernel(
  realmUint8Array: Uint8ArrayConstructor,
  options: FakeKernelOptions = {},
): FakeKernel {
  const blocks = new Map<number, Uint8Array>();
  const vars = new Map<string, Uint8Array>();
  const logs: Array<[number, string]> = [];
  const sleeps: number[] = [];
  let slept = 0;
  let input = toBytes(options.input ?? "");
  let output: Uint8Array | null = null;
  let error: string | null = null;
  let next = 1;
  let trapped: FakeHostTrap | null = null;
  const trap: (message: string) => never = (message) => {
    trapped = new FakeHostTrap(message);
    throw trapped;
  };
  const ab = (u8: Uint8Array): ArrayBuffer => {
    const out = new realmUint8Array(u8.length);
    out.set(u8);
    return out.buffer as ArrayBuffer;
  };
  const store = (v: unknown): number => {
    const off = next;
    next += 1 + Math.max(1, toBytes(v).length);
    blocks.set(off, toBytes(v));
    return off;
  };
  const block = (o: unknown): Uint8Array => {
    const b = blocks.get(Number(o));
    if (!b) throw new RangeError(`no block at ${String(o)}`);
    return b;
  };
  const kernel: Record<string, unknown> = {
    version: "1",
    inputBytes: () => ab(input),
    inputString: () => Buffer.from(input).toString("utf8"),
    outputBytes: (b: unknown) => {
      output = toBytes(b);
    },
    errorSet: (m: unknown) => {
      error = Buffer.from(toBytes(m)).toString("utf8");
    },
    alloc: (b: unknown) => (typeof b === "number" ? store(new Uint8Array(b)) : store(b)),
    read: (o: unknown) => (Number(o) === 0 ? null : ab(block(o))),
    readString: (o: unknown) => (Number(o) === 0 ? null : Buffer.from(block(o)).toString("utf8")),
    write: (o: unknown, b: unknown) => {
      const dest = block(o);
      const src = toBytes(b);
      if (src.length > dest.length) throw new RangeError("write past the end of the memory block");
      dest.set(src);
    },
    length: (o: unknown) => (blocks.has(Number(o)) ? block(o).length : 0),
    free: (o: unknown) => {
      blocks.delete(Number(o));
    },
    configGet: (k: string) => options.config?.[k] ?? null,
    varGet: (k: string) => {
      const v = vars.get(k);
      return v ? ab(v) : null;
    },
    varSet: (k: string, v: unknown) => {
      if (v === null || v === undefined) vars.delete(k);
      else vars.set(k, toBytes(v));
    },
    httpRequest: (reqJson: string, body: unknown) => {
      // A host refuses HTTP (no allowedHosts) with a trap: the call ends (exit code 8).
      if (!options.http) trap("http-denied: HTTP is not allowed");
      const req = JSON.parse(reqJson) as { url: string; method: string; headers: Record<string, string> };
      const res = options.http({ ...req, body: body === null || body === undefined ? null : toBytes(body) });
      return { status: res.status, body: ab(toBytes(res.body ?? "")), headers: res.headers ?? null };
    },
    log: (level: number, msg: string) => {
      logs.push([level, msg]);
    },
    logLevel: () => options.logLevel ?? 0,
    randomBytes: (n: number) => {
      if (n > 65536 * 16) throw new RangeError("randomBytes: at most 1 MiB at a time");
      return ab(new Uint8Array(randomBytes(n)));
    },
    now: () => Date.now(),
    // sleeps advance a virtual offset instead of blocking; `sleeps` records what was asked
    hrtime: () => performance.now() + slept,
    sleep: (ms: unknown) => {
      sleeps.push(Number(ms));
      slept += Number(ms);
    },
    hostFunctions: () =>
      (options.hostFunctions ?? []).map(({ name, params, result }) => ({ name, params, result })),
    // The compiler's source-map bootstrap sets it; the prelude never does, so nothing calls it here.
    setStackMapper: (_fn: unknown) => undefined,
    hostCall: (index: number, args: Array<number | bigint>) => {
      const f = options.hostFunctions?.[index];
      if (!f) throw new RangeError(`hostCall: no host function ${index}`);
      return f.impl(...args);
    },
    // capstan-hash.c (every engine has it; crypto.subtle has no JS fallback)
    digest: (alg: string, b: unknown) => ab(createHash(nodeHash(alg)).update(toBytes(b)).digest()),
    hmac: (alg: string, k: unknown, b: unknown) =>
      ab(createHmac(nodeHash(alg), toBytes(k)).update(toBytes(b)).digest()),
    timingSafeEqual: (a: unknown, b: unknown) => {
      const x = toBytes(a);
      const y = toBytes(b);
      return x.length === y.length && timingSafeEqual(x, y);
    },
    // capstan-yaml.c (libyaml): present in every engine, but not modelled here: @capstan/pdk/yaml
    // is tested on the real engine (compiler/test/pdk-yaml.test.ts) and on its Node build.
    yamlParse: () => {
      throw new Error("yamlParse: the fake kernel has no YAML; test @capstan/pdk/yaml on the engine");
    },
    yamlStringify: () => {
      throw new Error("yamlStringify: the fake kernel has no YAML; test @capstan/pdk/yaml on the engine");
    },
  };
  if (options.natives) {
    kernel.utf8Encode = (s: string) => ab(new Uint8Array(Buffer.from(s, "utf8")));
    kernel.utf8Decode = (b: unknown, fatal?: boolean) => {
      const u8 = toBytes(b);
      try {
        return new TextDecoder("utf-8", { fatal: Boolean(fatal), ignoreBOM: true }).decode(u8);
      } catch {
        throw new TypeError("The encoded data was not valid utf-8"); // the engine's words, not Node's
      }
    };
    kernel.base64Encode = (b: unknown, url?: boolean) =>
      Buffer.from(binaryBytes(b)).toString(url ? "base64url" : "base64");
    kernel.base64Decode = (s: string) => ab(new Uint8Array(Buffer.from(s.split("=")[0] ?? "", "base64")));
    kernel.hexEncode = (b: unknown) => Buffer.from(binaryBytes(b)).toString("hex");
  }
  if (options.env) {
    const env = options.env;
    kernel.envGet = (name: string) => env[name] ?? null;
    kernel.envNames = () => Object.keys(env);
  }
  if (options.files) {
    const files = options.files;
    const mounts = Object.keys(files).map((f) => f.slice(0, f.lastIndexOf("/")) || "/");
    kernel.readFile = (path: string) => {
      if (!path.startsWith("/")) throw internalError(`open ${path}: paths must be absolute inside a plugin`);
      if (!mounts.some((m) => m === "/" || path === m || path.startsWith(`${m}/`)))
        throw internalError(
          `open ${path}: not inside any directory the sandbox mounts (runtimeConfig.allowedPaths)`,
        );
      const f = files[path];
      if (f === undefined) throw internalError(`open ${path}: no such file or directory`);
      return ab(toBytes(f));
    };
    // Directories are the mounts and every parent of a file below one; entries come from `files`.
    const mountOf = (op: string, path: string) => {
      if (!path.startsWith("/")) throw internalError(`${op} ${path}: paths must be absolute inside a plugin`);
      if (!mounts.some((m) => m === "/" || path === m || path.startsWith(`${m}/`)))
        throw internalError(
          `${op} ${path}: not inside any directory the sandbox mounts (runtimeConfig.allowedPaths)`,
        );
    };
    const isDir = (path: string) =>
      mounts.includes(path) || Object.keys(files).some((f) => f.startsWith(`${path}/`));
    kernel.readDir = (path: string) => {
      mountOf("readDir", path);
      if (files[path] !== undefined)
        throw internalError(`readDir ${path}: a path component is not a directory`);
      if (!isDir(path)) throw internalError(`readDir ${path}: no such file or directory`);
      const below = new Map<string, string>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(`${path}/`)) continue;
        const [name, ...rest] = f.slice(path.length + 1).split("/");
        if (name) below.set(name, rest.length ? "directory" : "file");
      }
      return [...below].map(([name, type]) => ({ name, type }));
    };
    kernel.stat = (path: string) => {
      mountOf("stat", path);
      const f = files[path];
      if (f === undefined && !isDir(path)) throw internalError(`stat ${path}: no such file or directory`);
      const size = f === undefined ? 0 : toBytes(f).length;
      return { type: f === undefined ? "directory" : "file", size, mtimeMs: 0, atimeMs: 0, ctimeMs: 0 };
    };
  }
  if (options.fds) {
    const fds = options.fds;
    kernel.fdWrite = (fd: number, data: unknown) => {
      if (fd !== 1 && fd !== 2) throw new RangeError("fdWrite: only fd 1 (stdout) and 2 (stderr)");
      const b = toBytes(data);
      fds[fd] = (fds[fd] ?? "") + Buffer.from(b).toString();
      return b.length;
    };
  }
  return {
    kernel,
    blocks,
    vars,
    logs,
    output: () => output,
    error: () => error,
    trap: () => trapped,
    setInput: (i) => {
      input = toBytes(i);
    },
    options,
    sleeps,
  };
}

/** sha256 hex of bytes (test helper). */
export function sha256Hex(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}
