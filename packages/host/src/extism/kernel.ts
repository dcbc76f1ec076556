// The Extism kernel ABI (module "extism:host/env", shared/spec/extism-abi.md) implemented in
// the host: memory blocks addressed by i64 handles, input/output/error, config, vars, HTTP and
// logging. One Kernel per call; vars outlive it (they belong to the runtime, as in Extism).
import { HostTrap } from "./host-trap.js";

/** Log levels of the ABI, in priority order (trace 0 .. error 4). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
/** A plugin log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** Threshold meaning "show nothing". */
export const LOG_OFF = 0x7fffffff;

/** An outgoing HTTP request as the plugin wrote it. */
export interface KernelHttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
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

/** Names of every function the kernel provides (for link checks). */
export const KERNEL_FUNCTIONS = [
  "input_length", "input_load_u8", "input_load_u64", "input_offset",
  "alloc", "free", "length", "length_unsafe", "load_u8", "load_u64", "store_u8", "store_u64",
  "output_set", "error_set", "error_get", "config_get", "var_get", "var_set",
  "http_request", "http_status_code", "http_headers",
  "log_trace", "log_debug", "log_info", "log_warn", "log_error", "get_log_level",
] as const;

const SPAN = 4294967296; // handle = block index * 2^32 + offset in the block
const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** One call's kernel state. */
export class Kernel {
  private readonly blocks: (Uint8Array | null)[] = [null];
  private readonly views: (DataView | null)[] = [null];
  private live = 0;
  private inputView: DataView;
  private readonly inputHandle: bigint;
  private output: Uint8Array | null = null;
  private error: Uint8Array | null = null;
  private varBytes: number;
  private httpStatus = 0;
  private httpHeaders: Record<string, string> | null = null;

  constructor(private readonly opts: KernelOptions) {
    this.inputView = new DataView(opts.input.buffer, opts.input.byteOffset, opts.input.byteLength);
    this.inputHandle = opts.input.length === 0 ? 0n : this.store(opts.input);
    this.varBytes = 0;
    for (const v of opts.vars.values()) this.varBytes += v.length;
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
        const old = opts.vars.get(k)?.length ?? 0;
        if (val === 0n) {
          opts.vars.delete(k);
          this.varBytes -= old;
          return;
        }
        const v = this.read(val).slice();
        const total = this.varBytes - old + v.length;
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
        let parsed: { url?: unknown; method?: unknown; headers?: unknown };
        try {
          parsed = JSON.parse(utf8.decode(this.read(req)));
        } catch (e) {
          throw new HostTrap("http", `http_request: the request is not valid JSON (${(e as Error).message})`);
        }
        if (typeof parsed.url !== "string") throw new HostTrap("http", 'http_request: the request has no "url"');
        const headers: Record<string, string> = {};
        if (parsed.headers && typeof parsed.headers === "object") {
          for (const [k, v] of Object.entries(parsed.headers)) headers[k] = String(v);
        }
        const res = opts.http({
          url: parsed.url,
          method: typeof parsed.method === "string" && parsed.method ? parsed.method.toUpperCase() : "GET",
          headers,
          body: body === 0n ? null : this.read(body).slice(),
        });
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

  private alloc(len: number): bigint {
    // As in the Extism kernel: alloc(0) and allocations past the cap return 0 (no block).
    if (!(len > 0) || this.live + len > this.opts.maxBlockBytes) return 0n;
    const block = new Uint8Array(len);
    this.blocks.push(block);
    this.views.push(null);
    this.live += len;
    return BigInt(this.blocks.length - 1) * 4294967296n;
  }

  private view(i: number): DataView | null {
    const cached = this.views[i];
    if (cached) return cached;
    const b = i > 0 ? this.blocks[i] : undefined;
    if (!b) return null;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.views[i] = view;
    return view;
  }

  private locate(h: bigint, width = 0): [Uint8Array, number, DataView] {
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

function bad(what: string, h: bigint): HostTrap {
  return new HostTrap("trap", `${what}: invalid kernel memory handle 0x${BigInt.asUintN(64, h).toString(16)}`);
}
