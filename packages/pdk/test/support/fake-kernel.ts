// An in-memory `__capstan` kernel for running the prelude in a node:vm context. It mirrors
// the engine's C glue (packages/engine/csrc/capstan-global.c): same names, same value shapes,
// buffers created in the plugin's realm.
import { createHash, randomBytes } from "node:crypto";

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
  /** Files readable through readFile (enables it). */
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
  setInput: (input: Uint8Array | string) => void;
  options: FakeKernelOptions;
  /** The waits the prelude asked for through kernel.sleep, in ms. */
  sleeps: number[];
}

function toBytes(v: unknown): Uint8Array {
  if (typeof v === "string") return new Uint8Array(Buffer.from(v, "utf8"));
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  if (Object.prototype.toString.call(v) === "[object ArrayBuffer]")
    return new Uint8Array(v as ArrayBuffer).slice();
  throw new TypeError("expected a string, ArrayBuffer or typed array");
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
    write: (o: unknown, b: unknown) => block(o).set(toBytes(b)),
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
      if (!options.http) throw new Error("HTTP is not allowed");
      const req = JSON.parse(reqJson) as { url: string; method: string; headers: Record<string, string> };
      const res = options.http({ ...req, body: body === null || body === undefined ? null : toBytes(body) });
      return { status: res.status, body: ab(toBytes(res.body ?? "")), headers: res.headers ?? null };
    },
    log: (level: number, msg: string) => {
      logs.push([level, msg]);
    },
    logLevel: () => options.logLevel ?? 0,
    randomBytes: (n: number) => ab(new Uint8Array(randomBytes(n))),
    now: () => Date.now(),
    // sleeps advance a virtual offset instead of blocking; `sleeps` records what was asked
    hrtime: () => performance.now() + slept,
    sleep: (ms: unknown) => {
      sleeps.push(Number(ms));
      slept += Number(ms);
    },
    hostFunctions: () =>
      (options.hostFunctions ?? []).map(({ name, params, result }) => ({ name, params, result })),
    hostCall: (index: number, args: Array<number | bigint>) => {
      const f = options.hostFunctions?.[index];
      if (!f) throw new RangeError(`hostCall: no host function ${index}`);
      return f.impl(...args);
    },
  };
  if (options.natives) {
    kernel.utf8Encode = (s: string) => ab(new Uint8Array(Buffer.from(s, "utf8")));
    kernel.utf8Decode = (b: unknown, fatal?: boolean) =>
      new TextDecoder("utf-8", { fatal: Boolean(fatal), ignoreBOM: true }).decode(toBytes(b));
    kernel.base64Encode = (b: unknown, url?: boolean) =>
      Buffer.from(toBytes(b)).toString(url ? "base64url" : "base64");
    kernel.base64Decode = (s: string) => ab(new Uint8Array(Buffer.from(s.split("=")[0] ?? "", "base64")));
    kernel.hexEncode = (b: unknown) => Buffer.from(toBytes(b)).toString("hex");
  }
  if (options.env) {
    const env = options.env;
    kernel.envGet = (name: string) => env[name] ?? null;
    kernel.envNames = () => Object.keys(env);
  }
  if (options.files) {
    const files = options.files;
    kernel.readFile = (path: string) => {
      const f = files[path];
      if (f === undefined) throw new Error(`${path}: no such file`);
      return ab(toBytes(f));
    };
  }
  if (options.fds) {
    const fds = options.fds;
    kernel.fdWrite = (fd: number, data: unknown) => {
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
