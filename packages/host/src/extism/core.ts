// The parts of the extism/v1 runtime that run where the plugin runs: the Extism kernel ABI
// ("extism:host/env", shared/spec/extism-abi.md), the per-call WASI context, and one call of an
// instance. They sit inside ONE self-contained factory because the worker isolation mode
// stringifies it into a worker (`${extismCore}`): no imports, no outer references; Node
// modules come through the `require` argument, the file-system sandbox through `sandbox`.
import type { RuntimeErrorCode } from "../errors.js";
import type { SandboxPath, StdioPolicy } from "./policy.js";
import type { WasiSandbox } from "./wasi-sandbox.js";
import type { WasmInstance, WasmMemory, WasmModule } from "./wasm-types.js";

/** A plugin log level (ABI order: trace 0 .. error 4). */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** An outgoing HTTP request as the plugin wrote it. */
export interface KernelHttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  /** Capstan extension (request field "timeoutMs"): give up on this request after so many ms. */
  timeoutMs?: number;
}
/** What the host fetched for the plugin. */
export interface KernelHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Everything one call's kernel needs from the runtime. */
export interface KernelOptions {
  input: Uint8Array;
  config: Record<string, string>;
  /** Plugin vars; mutated in place by var_set. */
  vars: Map<string, Uint8Array>;
  maxVarBytes: number;
  /** Cap on the bytes of all live kernel blocks (from maxPages). */
  maxBlockBytes: number;
  /** Lowest level shown (0..4) or LOG_OFF. */
  logLevel: number;
  log: (level: LogLevel, message: string) => void;
  /** Performs an HTTP request synchronously; throws HostTrap when denied or failed. */
  http: (req: KernelHttpRequest) => KernelHttpResponse;
}

type WasiCtor = typeof import("node:wasi").WASI;
type WasiFn = (...args: (number | bigint)[]) => number;

/** One call's WASI context. */
export interface WasiContext {
  imports: Record<string, WasiFn>;
  /** Binds the instance's memory (and runs nothing). */
  bind(memory: WasmMemory): void;
  /** Exit status the plugin passed to proc_exit, if it called it. */
  exitStatus(): number | undefined;
  /** Closes the fds this context opened. */
  close(): void;
}

/** How one call ended, as plain data (it crosses the worker boundary). */
export type Outcome =
  | { kind: "ok"; output: Uint8Array }
  | { kind: "plugin-error"; detail: string }
  | { kind: "exit"; status: number }
  | { kind: "host-trap"; code: RuntimeErrorCode; message: string; hint?: string }
  | { kind: "wasm"; name: string; message: string; pages: number }
  | { kind: "entry"; funcName: string }
  | { kind: "no-memory" }
  | { kind: "deadline" }
  | { kind: "host-bug"; message: string };

/** What `invoke` needs for one call. */
export interface InvokeArgs {
  module: WasmModule;
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  imports: Record<string, Record<string, unknown>>;
  kernel: { imports(): Record<string, unknown>; errorMessage(): string | null; outputBytes(): Uint8Array };
  wasi: WasiContext | null;
  funcName: string;
  /** Runs the call under the deadline (in-process) or as is (worker: the host terminates it). */
  guard: (fn: () => void) => void;
  /** Recognizes the error `guard` throws when the deadline hits. */
  isDeadline: (e: unknown) => boolean;
}

/** The self-contained runtime core; call once per realm/thread. */
export function extismCore(require: (id: string) => unknown, sandbox: WasiSandbox) {
  const { openSync, closeSync } = require("node:fs") as typeof import("node:fs");
  const { devNull } = require("node:os") as typeof import("node:os");
  const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error"];
  const SPAN = 4294967296; // handle = block index * 2^32 + offset in the block
  const utf8 = new TextDecoder();
  const encoder = new TextEncoder();

  /** Thrown from host imports to abort the call with a specific RuntimeError code. */
  class HostTrap extends Error {
    /** Brand checked instead of instanceof (the main-thread HostTrap is another class). */
    readonly capstanTrap = true;
    constructor(
      readonly code: RuntimeErrorCode,
      message: string,
      readonly hint?: string,
    ) {
      super(message);
    }
  }

  function bad(what: string, h: bigint): HostTrap {
    return new HostTrap(
      "trap",
      `${what}: invalid kernel memory handle 0x${BigInt.asUintN(64, h).toString(16)}`,
    );
  }

  /** One call's kernel state. */
  class Kernel {
    readonly blocks: (Uint8Array | null)[] = [null];
    readonly views: (DataView | null)[] = [null];
    live = 0;
    inputView: DataView;
    readonly inputHandle: bigint;
    output: Uint8Array | null = null;
    error: Uint8Array | null = null;
    varBytes: number;
    httpStatus = 0;
    httpHeaders: Record<string, string> | null = null;

    constructor(readonly opts: KernelOptions) {
      this.inputView = new DataView(opts.input.buffer, opts.input.byteOffset, opts.input.byteLength);
      // The input is the host's own data: it is stored even past maxPages (never a failure
      // before the plugin runs), but it counts towards the cap for the plugin's own blocks.
      this.inputHandle = opts.input.length === 0 ? 0n : this.storeUncapped(opts.input);
      this.varBytes = 0;
      // Names count as well as values: otherwise a plugin could pile up vars with huge names
      // and tiny values, and vars live as long as the runtime.
      for (const [k, v] of opts.vars) this.varBytes += encoder.encode(k).length + v.length;
    }

    /** The output the plugin set (empty when none). */
    outputBytes(): Uint8Array {
      return this.output ?? new Uint8Array(0);
    }

    /** The error message the plugin set with error_set, if any. */
    errorMessage(): string | null {
      return this.error === null ? null : utf8.decode(this.error);
    }

    /** Copies `bytes` into a new block and returns its handle (0 for empty bytes). */
    store(bytes: Uint8Array): bigint {
      if (bytes.length === 0) return 0n;
      const h = this.alloc(bytes.length);
      if (h === 0n) {
        throw new HostTrap(
          "memory",
          `the plugin's kernel memory would exceed ${this.opts.maxBlockBytes} bytes (runtimeConfig.memory.maxPages)`,
          "raise runtimeConfig.memory.maxPages in plugin.yaml",
        );
      }
      (this.blocks[this.blocks.length - 1] as Uint8Array).set(bytes);
      return h;
    }

    storeUncapped(bytes: Uint8Array): bigint {
      this.blocks.push(bytes.slice());
      this.views.push(null);
      this.live += bytes.length;
      return BigInt(this.blocks.length - 1) * 4294967296n;
    }

    /** Reads a whole block by handle (the host-function and log paths use it). */
    read(h: bigint): Uint8Array {
      const [block, off] = this.locate(h);
      return block.subarray(off);
    }

    /** The import object for module "extism:host/env". */
    imports(): Record<string, (...args: never[]) => unknown> {
      const opts = this.opts;
      const log = (level: number) => (h: bigint) => {
        if (level < opts.logLevel) return;
        opts.log(LOG_LEVELS[level] as LogLevel, utf8.decode(this.read(h)));
      };
      return {
        input_length: () => BigInt(opts.input.length),
        input_offset: () => this.inputHandle,
        input_load_u8: (offs: bigint) => {
          const o = Number(offs);
          if (!(o >= 0 && o < opts.input.length)) throw bad("input_load_u8", offs);
          return opts.input[o] as number;
        },
        input_load_u64: (offs: bigint) => {
          const o = Number(offs);
          if (!(o >= 0 && o + 8 <= opts.input.length)) throw bad("input_load_u64", offs);
          return this.inputView.getBigUint64(o, true);
        },
        alloc: (len: bigint) => this.alloc(Number(len)),
        free: (h: bigint) => {
          const i = Math.floor(Number(h) / SPAN);
          const b = this.blocks[i];
          if (i > 0 && b) {
            this.live -= b.length;
            this.blocks[i] = null;
            this.views[i] = null;
          }
        },
        length: (h: bigint) => {
          const n = Number(h);
          const i = Math.floor(n / SPAN);
          const b = this.blocks[i];
          return b && n - i * SPAN === 0 ? BigInt(b.length) : 0n;
        },
        length_unsafe: (h: bigint) => {
          const b = this.blocks[Math.floor(Number(h) / SPAN)];
          return b ? BigInt(b.length) : 0n;
        },
        // The four accessors below are the hot path (PDKs move bytes 8 at a time through them):
        // no allocation, one bounds check.
        load_u8: (h: bigint) => {
          const n = Number(h);
          const i = Math.floor(n / SPAN);
          const b = this.blocks[i];
          const off = n - i * SPAN;
          if (i === 0 || !b || off >= b.length) throw bad("load_u8", h);
          return b[off] as number;
        },
        load_u64: (h: bigint) => {
          const n = Number(h);
          const i = Math.floor(n / SPAN);
          const off = n - i * SPAN;
          const view = this.view(i);
          if (!view || off + 8 > view.byteLength) throw bad("load_u64", h);
          return view.getBigUint64(off, true);
        },
        store_u8: (h: bigint, v: number) => {
          const n = Number(h);
          const i = Math.floor(n / SPAN);
          const b = this.blocks[i];
          const off = n - i * SPAN;
          if (i === 0 || !b || off >= b.length) throw bad("store_u8", h);
          b[off] = v;
        },
        store_u64: (h: bigint, v: bigint) => {
          const n = Number(h);
          const i = Math.floor(n / SPAN);
          const off = n - i * SPAN;
          const view = this.view(i);
          if (!view || off + 8 > view.byteLength) throw bad("store_u64", h);
          view.setBigUint64(off, v, true);
        },
        output_set: (h: bigint, len: bigint) => {
          const n = Number(len);
          if (n === 0) {
            this.output = new Uint8Array(0); // alloc(0) is 0, so empty output comes as (0, 0)
            return;
          }
          const [b, off] = this.locate(h);
          if (!(n >= 0 && off + n <= b.length)) throw bad("output_set", h);
          this.output = b.subarray(off, off + n);
        },
        error_set: (h: bigint) => {
          this.error = h === 0n ? null : this.read(h);
        },
        error_get: () => (this.error === null ? 0n : this.store(this.error)),
        config_get: (key: bigint) => {
          const k = utf8.decode(this.read(key));
          if (!Object.hasOwn(opts.config, k)) return 0n;
          return this.store(encoder.encode(opts.config[k] as string));
        },
        var_get: (key: bigint) => {
          const v = opts.vars.get(utf8.decode(this.read(key)));
          return v === undefined ? 0n : this.store(v);
        },
        var_set: (key: bigint, val: bigint) => {
          const k = utf8.decode(this.read(key));
          const existing = opts.vars.get(k);
          const keyBytes = encoder.encode(k).length; // the name as stored
          const old = existing === undefined ? 0 : keyBytes + existing.length;
          if (val === 0n) {
            opts.vars.delete(k);
            this.varBytes -= old;
            return;
          }
          const v = this.read(val).slice();
          const total = this.varBytes - old + keyBytes + v.length;
          if (total > opts.maxVarBytes) {
            throw new HostTrap(
              "memory",
              `var "${k}" would bring the plugin's vars to ${total} bytes, over the limit of ${opts.maxVarBytes} (runtimeConfig.memory.maxVarBytes)`,
              "raise runtimeConfig.memory.maxVarBytes in plugin.yaml or store less in vars",
            );
          }
          opts.vars.set(k, v);
          this.varBytes = total;
        },
        http_request: (req: bigint, body: bigint) => {
          let parsed: {
            url?: unknown;
            method?: unknown;
            headers?: unknown;
            timeoutMs?: unknown;
            catchable?: unknown;
          };
          try {
            parsed = JSON.parse(utf8.decode(this.read(req)));
          } catch (e) {
            throw new HostTrap(
              "http",
              `http_request: the request is not valid JSON (${(e as Error).message})`,
            );
          }
          if (typeof parsed.url !== "string")
            throw new HostTrap("http", 'http_request: the request has no "url"');
          const headers: Record<string, string> = {};
          if (parsed.headers && typeof parsed.headers === "object") {
            for (const [k, v] of Object.entries(parsed.headers)) headers[k] = String(v);
          }
          const method =
            typeof parsed.method === "string" && parsed.method ? parsed.method.toUpperCase() : "GET";
          if (!/^[!#$%&'*+.^_`|~0-9A-Z-]{1,32}$/.test(method)) {
            throw new HostTrap("http", `http_request: ${JSON.stringify(method)} is not an HTTP method`);
          }
          const timeoutMs = Number(parsed.timeoutMs);
          const request: KernelHttpRequest = {
            url: parsed.url,
            method,
            headers,
            body: body === 0n ? null : this.read(body).slice(),
            ...(timeoutMs > 0 ? { timeoutMs } : {}),
          };
          let res: KernelHttpResponse;
          try {
            res = opts.http(request);
          } catch (e) {
            // Capstan extension: a request that says `"catchable": true` gets network failures
            // and sandbox refusals back as status 0 with {code, message, hint} as the body, so
            // the guest can throw them as exceptions. The call deadline still ends the call.
            const t = e as HostTrap | null;
            if (parsed.catchable !== true || t?.capstanTrap !== true || !t.code.startsWith("http")) throw e;
            this.httpStatus = 0;
            this.httpHeaders = null;
            const detail = { code: t.code, message: t.message, ...(t.hint ? { hint: t.hint } : {}) };
            return this.store(encoder.encode(JSON.stringify(detail)));
          }
          this.httpStatus = res.status;
          this.httpHeaders = res.headers;
          return res.body.length === 0 ? 0n : this.store(res.body);
        },
        http_status_code: () => this.httpStatus,
        http_headers: () =>
          this.httpHeaders === null ? 0n : this.store(encoder.encode(JSON.stringify(this.httpHeaders))),
        log_trace: log(0),
        log_debug: log(1),
        log_info: log(2),
        log_warn: log(3),
        log_error: log(4),
        get_log_level: () => opts.logLevel,
      };
    }

    alloc(len: number): bigint {
      // As in the Extism kernel: alloc(0) and allocations past the cap return 0 (no block).
      if (!(len > 0) || this.live + len > this.opts.maxBlockBytes) return 0n;
      const block = new Uint8Array(len);
      this.blocks.push(block);
      this.views.push(null);
      this.live += len;
      return BigInt(this.blocks.length - 1) * 4294967296n;
    }

    view(i: number): DataView | null {
      const cached = this.views[i];
      if (cached) return cached;
      const b = i > 0 ? this.blocks[i] : undefined;
      if (!b) return null;
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.views[i] = view;
      return view;
    }

    locate(h: bigint, width = 0): [Uint8Array, number, DataView] {
      const n = Number(h);
      const i = Math.floor(n / SPAN);
      const off = n - i * SPAN;
      const b = i > 0 ? this.blocks[i] : undefined;
      if (!b || off + width > b.length) throw bad("memory access", h);
      let view = this.views[i];
      if (!view) {
        view = new DataView(b.buffer, b.byteOffset, b.byteLength);
        this.views[i] = view;
      }
      return [b, off, view];
    }
  }

  /** Creates the WASI context of one call. */
  function createWasi(
    WASI: WasiCtor,
    opts: { env: Record<string, string>; paths: SandboxPath[]; stdio: StdioPolicy },
  ): WasiContext {
    const opened: number[] = [];
    const nullFd = (flags: "r" | "w") => {
      const fd = openSync(devNull, flags);
      opened.push(fd);
      return fd;
    };
    let stdin: number;
    let stdout: number;
    let stderr: number;
    if (opts.stdio === "inherit") {
      [stdin, stdout, stderr] = [0, 1, 2];
    } else if (opts.stdio === "null") {
      stdin = nullFd("r");
      stdout = nullFd("w");
      stderr = stdout;
    } else {
      stdin = opts.stdio.stdin ?? nullFd("r");
      stdout = opts.stdio.stdout ?? nullFd("w");
      stderr = opts.stdio.stderr ?? nullFd("w");
    }
    const wasi = new WASI({
      version: "preview1",
      args: [],
      env: opts.env,
      preopens: sandbox.preopens(opts.paths), // numbered from fd 3, in order
      stdin,
      stdout,
      stderr,
      returnOnExit: true,
    });
    const raw = wasi.wasiImport as Record<string, WasiFn>;
    let memory: WasmMemory | null = null;
    let exitStatus: number | undefined;
    const imports: Record<string, WasiFn> = { ...raw };
    imports.proc_exit = (code) => {
      exitStatus = Number(code);
      return (raw.proc_exit as WasiFn)(code);
    };
    sandbox.confine(imports, opts.paths, () => memory); // paths and read-only mounts: wasi-sandbox.ts
    imports.poll_oneoff = interruptibleSleep(raw.poll_oneoff as WasiFn, () => memory);
    return {
      imports,
      bind(mem) {
        memory = mem;
        // node:wasi only wants the memory; _initialize is run by the runtime itself.
        wasi.initialize({ exports: { memory: mem } } as unknown as WasmInstance);
      },
      exitStatus: () => exitStatus,
      close() {
        for (const fd of opened.splice(0)) closeSync(fd);
      },
    };
  }

  const sleeper = new Int32Array(new SharedArrayBuffer(4));

  /**
   * poll_oneoff with only clock subscriptions is a sleep. node:wasi sleeps in native code, which
   * the deadline cannot interrupt; this sleeps in Atomics.wait instead, which it can. Waits on
   * files (stdin of cli plugins) still go to node:wasi.
   */
  function interruptibleSleep(raw: WasiFn, memory: () => WasmMemory | null): WasiFn {
    return (inPtr, outPtr, nsubs, neventsPtr) => {
      const mem = memory();
      const n = Number(nsubs);
      if (!mem || n === 0) return raw(inPtr, outPtr, nsubs, neventsPtr);
      const view = new DataView(mem.buffer);
      const waits: { userdata: bigint; ms: number }[] = [];
      for (let i = 0; i < n; i++) {
        const sub = Number(inPtr) + 48 * i;
        if (view.getUint8(sub + 8) !== 0) return raw(inPtr, outPtr, nsubs, neventsPtr); // not a clock
        const clock = view.getUint32(sub + 16, true);
        const timeout = view.getBigUint64(sub + 24, true);
        const absolute = (view.getUint16(sub + 40, true) & 1) !== 0;
        const now = clock === 0 ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
        const ns = absolute ? timeout - now : timeout;
        waits.push({ userdata: view.getBigUint64(sub, true), ms: Math.max(0, Number(ns) / 1e6) });
      }
      const first = Math.min(...waits.map((w) => w.ms));
      const until = performance.now() + first;
      for (let left = first; left > 0; left = until - performance.now()) {
        Atomics.wait(sleeper, 0, 0, Math.min(left, 100));
      }
      const out = new DataView(mem.buffer);
      let count = 0;
      for (const w of waits) {
        if (w.ms > first) continue;
        const ev = Number(outPtr) + 32 * count++;
        for (let b = 0; b < 32; b++) out.setUint8(ev + b, 0); // error 0, type clock, no fd data
        out.setBigUint64(ev, w.userdata, true);
      }
      out.setUint32(Number(neventsPtr), count, true);
      return 0;
    };
  }

  /** Instantiates, initializes and calls `funcName` once; never throws. */
  function invoke(a: InvokeArgs): Outcome {
    let instance: WasmInstance | undefined;
    let rc: unknown;
    try {
      a.guard(() => {
        instance = new a.Instance(a.module, a.imports);
        const exports = instance.exports;
        if (a.wasi) {
          const memory = exports.memory as WasmMemory | undefined;
          if (!memory || typeof memory.grow !== "function") throw new HostTrap("link", "\0no-memory");
          a.wasi.bind(memory);
        }
        // Reactors (wasi-libc, Haskell) run their constructors once per fresh instance.
        if (typeof exports._initialize === "function") (exports._initialize as () => void)();
        if (typeof exports.hs_init === "function") (exports.hs_init as () => void)();
        const entry = exports[a.funcName];
        if (typeof entry !== "function") throw new HostTrap("entry", "\0entry");
        rc = (entry as () => unknown)();
      });
    } catch (e) {
      const status = a.wasi?.exitStatus();
      if (status !== undefined && typeof e === "symbol") {
        if (status !== 0) return { kind: "exit", status };
        rc = 0; // proc_exit(0): a clean exit; keep the output set so far
      } else if (a.isDeadline(e)) {
        return { kind: "deadline" };
      } else if ((e as HostTrap | null)?.capstanTrap === true) {
        const t = e as HostTrap;
        if (t.message === "\0no-memory") return { kind: "no-memory" };
        if (t.message === "\0entry") return { kind: "entry", funcName: a.funcName };
        return {
          kind: "host-trap",
          code: t.code,
          message: t.message,
          ...(t.hint === undefined ? {} : { hint: t.hint }),
        };
      } else {
        const err = e as Error;
        const name = typeof err?.name === "string" ? err.name : "Error";
        if (
          name === "RuntimeError" ||
          name === "RangeError" ||
          name === "LinkError" ||
          name === "CompileError"
        ) {
          const memory = instance?.exports.memory as WasmMemory | undefined;
          const pages = memory && typeof memory.grow === "function" ? memory.buffer.byteLength / 65536 : 0;
          return { kind: "wasm", name, message: err.message, pages };
        }
        return { kind: "host-bug", message: err?.message ?? String(e) };
      }
    } finally {
      a.wasi?.close();
    }
    const error = a.kernel.errorMessage();
    const code = typeof rc === "number" ? rc : 0;
    if (error !== null || code !== 0)
      return { kind: "plugin-error", detail: error ?? `${a.funcName} returned ${code}` };
    return { kind: "ok", output: a.kernel.outputBytes() };
  }

  return { HostTrap, Kernel, createWasi, invoke, LOG_LEVELS };
}

/** The core's types, for code that holds its values. */
export type ExtismCore = ReturnType<typeof extismCore>;
/** A kernel instance (one per call). */
export type KernelInstance = InstanceType<ExtismCore["Kernel"]>;
