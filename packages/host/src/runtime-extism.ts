// The extism/v1 runtime: runs plugin.wasm in-process against Capstan's own implementation of
// the Extism kernel ABI, inside the sandbox its policy describes (docs/security.md). The module
// is compiled once per process; every call gets a fresh instance, fresh WASI context and (when
// granted) a fresh /tmp; a hard deadline stops any call that runs too long.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { LoadedPlugin } from "@capstan/manifest";
import type { HostFunction } from "./host-functions/host-function.js";
import { DeadlineExceeded, MainWebAssembly, runWithDeadline } from "./extism/deadline.js";
import { isHostTrap } from "./extism/host-trap.js";
import { HttpBridge } from "./extism/http-bridge.js";
import { Kernel, LOG_LEVELS, LOG_OFF, type LogLevel } from "./extism/kernel.js";
import { type LinkPlan, planLinks } from "./extism/link.js";
import { compileModule } from "./extism/module-cache.js";
import { type ExtismPolicy, type ExtismPolicyInput, type StdioPolicy, resolvePolicy } from "./extism/policy.js";
import { RuntimeError } from "./extism/runtime-error.js";
import { type WasiContext, createWasi, loadWasiClass } from "./extism/wasi.js";
import type { WasmInstance, WasmMemory, WasmModule } from "./extism/wasm-types.js";

/** Options of ExtismRuntime.open / openModule. */
export interface ExtismOpenOptions {
  /** Show every plugin log line (level trace and up). */
  debug?: boolean;
  /** Lowest plugin log level shown; default "trace" with debug, else "warn". */
  logLevel?: LogLevel | "off";
  /** Receives plugin log lines; default: written to stderr as `<plugin>: <level>: <message>`. */
  log?: (level: LogLevel, message: string) => void;
  /** Overrides the policy's WASI stdio ("inherit" for cli/v1, else "null"). */
  stdio?: StdioPolicy;
  /** Where allowlisted env values come from; default process.env. */
  env?: Record<string, string | undefined>;
}

/** Options of one call. */
export interface ExtismCallOptions {
  /** Export to call; default the policy's entryFuncName. */
  funcName?: string;
  /** Parent directory of the per-call /tmp (createTempDir); default os.tmpdir(). */
  tempDir?: string;
  /** Overrides the policy's per-call time limit (ms). */
  timeoutMs?: number;
}

type WasiCtor = Awaited<ReturnType<typeof loadWasiClass>>;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A loaded extism/v1 plugin, ready to be called. */
export class ExtismRuntime {
  /** The sandbox policy in force. */
  readonly policy: ExtismPolicy;
  /** The plugin.wasm this runtime runs. */
  readonly wasmPath: string;
  /** The compiled module (shared by every runtime of the same file and policy). */
  readonly module: WasmModule;
  /** Plugin vars (var_get/var_set): they outlive calls, as in Extism. */
  readonly vars = new Map<string, Uint8Array>();
  private readonly plan: LinkPlan;
  private readonly wasiClass: WasiCtor | null;
  private readonly http: HttpBridge;
  private readonly logLevel: number;
  private readonly log: (level: LogLevel, message: string) => void;
  private readonly env: Record<string, string>;
  private closed = false;

  private constructor(
    wasmPath: string,
    policy: ExtismPolicy,
    module: WasmModule,
    plan: LinkPlan,
    wasiClass: WasiCtor | null,
    opts: ExtismOpenOptions,
  ) {
    this.wasmPath = wasmPath;
    this.policy = policy;
    this.module = module;
    this.plan = plan;
    this.wasiClass = wasiClass;
    this.http = new HttpBridge(policy.name, policy.allowedHosts, policy.maxHttpResponseBytes);
    const level = opts.logLevel ?? (opts.debug ? "trace" : "warn");
    this.logLevel = level === "off" ? LOG_OFF : LOG_LEVELS.indexOf(level);
    this.log = opts.log ?? ((lvl, msg) => process.stderr.write(`${policy.name}: ${lvl}: ${msg}\n`));
    const source = opts.env ?? process.env;
    this.env = {};
    for (const name of policy.env) {
      const value = source[name];
      if (value !== undefined) this.env[name] = value;
    }
  }

  /** Opens an installed extism/v1 plugin: its plugin.wasm under the policy from plugin.yaml. */
  static async open(loaded: LoadedPlugin, opts: ExtismOpenOptions = {}): Promise<ExtismRuntime> {
    return ExtismRuntime.openModule(join(loaded.dir, "plugin.wasm"), policyFromManifest(loaded), opts);
  }

  /** Opens any Extism module by path under an explicit policy (absent fields = defaults = denied). */
  static async openModule(
    wasmPath: string,
    policy: ExtismPolicyInput = {},
    opts: ExtismOpenOptions = {},
  ): Promise<ExtismRuntime> {
    const full = resolvePolicy(policy);
    if (opts.stdio !== undefined) full.stdio = opts.stdio;
    const path = resolve(wasmPath);
    const module = await compileModule(path, full.maxPages, full.name);
    const plan = await planLinks(module, full, path);
    await Promise.all(plan.hostFunctions.map((f) => f.prepare?.()));
    const wasiClass = plan.wasi ? await loadWasiClass() : null;
    return new ExtismRuntime(path, full, module, plan, wasiClass, opts);
  }

  /** Calls the entry export with `input`; resolves to the plugin's output bytes. */
  async call(input: Uint8Array | string, opts: ExtismCallOptions = {}): Promise<Uint8Array> {
    if (this.closed) {
      throw new RuntimeError("closed", `plugin "${this.policy.name}": the runtime was closed`);
    }
    const bytes = typeof input === "string" ? encoder.encode(input) : input;
    const funcName = opts.funcName ?? this.policy.entryFuncName;
    const timeoutMs = opts.timeoutMs ?? this.policy.timeoutMs;
    const tmp = this.policy.createTempDir ? await mkdtemp(join(opts.tempDir ?? tmpdir(), "capstan-tmp-")) : undefined;
    try {
      return this.run(bytes, funcName, timeoutMs, tmp);
    } finally {
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Releases the runtime; later calls reject with code "closed". */
  async close(): Promise<void> {
    this.closed = true;
  }

  private run(input: Uint8Array, funcName: string, timeoutMs: number, tmp: string | undefined): Uint8Array {
    const p = this.policy;
    const kernel = new Kernel({
      input,
      config: p.config,
      vars: this.vars,
      maxVarBytes: p.maxVarBytes,
      maxBlockBytes: p.maxPages * 65536,
      logLevel: this.logLevel,
      log: this.log,
      http: (req) => this.http.request(req),
    });
    const imports: Record<string, Record<string, unknown>> = { "extism:host/env": kernel.imports() };
    let wasi: WasiContext | null = null;
    if (this.wasiClass) {
      const paths = [...p.allowedPaths];
      if (tmp) paths.push({ hostPath: tmp, guestPath: "/tmp", writable: true });
      wasi = createWasi(this.wasiClass, { env: this.env, paths, stdio: p.stdio });
      imports.wasi_snapshot_preview1 = wasi.imports;
    }
    if (this.plan.hostFunctions.length > 0) {
      imports["extism:host/user"] = Object.fromEntries(
        this.plan.hostFunctions.map((f) => [f.name, (h: bigint) => callHostFunction(f, kernel, h, p.name)]),
      );
    }
    let instance: WasmInstance | undefined;
    let rc: unknown;
    try {
      runWithDeadline(() => {
        instance = new MainWebAssembly.Instance(this.module, imports);
        const exports = instance.exports;
        if (wasi) {
          const memory = exports.memory;
          if (!memory || typeof (memory as WasmMemory).grow !== "function") {
            throw new RuntimeError("link", `plugin "${p.name}" (${this.wasmPath}) uses WASI but exports no "memory"`, {
              hint: "rebuild the plugin so that it exports its memory",
            });
          }
          wasi.bind(memory as WasmMemory);
        }
        // Reactors (wasi-libc, Haskell) run their constructors once per fresh instance.
        if (typeof exports._initialize === "function") (exports._initialize as () => void)();
        if (typeof exports.hs_init === "function") (exports.hs_init as () => void)();
        const entry = exports[funcName];
        if (typeof entry !== "function") {
          throw new RuntimeError("entry", `plugin "${p.name}" (${this.wasmPath}) does not export a function "${funcName}"`, {
            hint:
              funcName === p.entryFuncName
                ? "set runtimeConfig.entryFuncName in plugin.yaml to the plugin's exported function"
                : undefined,
          });
        }
        rc = (entry as () => unknown)();
      }, timeoutMs);
    } catch (e) {
      const status = wasi?.exitStatus();
      if (status === undefined || typeof e !== "symbol") throw this.classify(e, instance, timeoutMs);
      if (status !== 0) {
        throw new RuntimeError("plugin-error", `plugin "${p.name}" exited with status ${status}`);
      }
      rc = 0; // proc_exit(0): a clean exit; keep the output set so far
    } finally {
      wasi?.close();
    }
    const error = kernel.errorMessage();
    const code = typeof rc === "number" ? rc : 0;
    if (error !== null || code !== 0) {
      const detail = error ?? `${funcName} returned ${code}`;
      const err = new RuntimeError("plugin-error", `plugin "${p.name}" failed: ${detail}`);
      (err as RuntimeError & { pluginMessage?: string }).pluginMessage = detail;
      throw err;
    }
    return kernel.outputBytes();
  }

  private classify(e: unknown, instance: WasmInstance | undefined, timeoutMs: number): RuntimeError {
    const p = this.policy;
    const subject = `plugin "${p.name}"`;
    if (e instanceof RuntimeError || (e instanceof Error && e.constructor.name === "RuntimeError" && "exitCode" in e)) {
      return e as RuntimeError;
    }
    if (e instanceof DeadlineExceeded) {
      const waiting = this.http.pending;
      this.http.pending = null;
      if (waiting !== null) {
        return new RuntimeError(
          "timeout",
          `${subject} did not finish within ${timeoutMs} ms and was stopped while waiting for ${waiting}`,
          {
            hint: "raise runtimeConfig.timeout if the server is slow; note that the host's event loop is blocked while a plugin runs, so a server in the same Node process cannot answer (run it in a worker or another process)",
          },
        );
      }
      return new RuntimeError("timeout", `${subject} did not finish within ${timeoutMs} ms and was stopped`, {
        hint: "raise runtimeConfig.timeout in plugin.yaml if the plugin needs longer",
      });
    }
    if (isHostTrap(e)) return new RuntimeError(e.code, e.message, { hint: e.hint });
    const err = e as Error;
    const name = err?.name;
    if (name === "RuntimeError" || name === "RangeError") {
      const memory = instance?.exports.memory as WasmMemory | undefined;
      const pages = memory ? memory.buffer.byteLength / 65536 : 0;
      // memory.grow failing is invisible to the host; a trap with memory near the cap is
      // almost always an allocator giving up (allocators grow in chunks, hence the 3/4).
      if (pages >= p.maxPages * 0.75) {
        return new RuntimeError(
          "memory",
          `${subject} ran out of memory: it used ${pages} of its ${p.maxPages} pages (${(p.maxPages * 64) / 1024} MiB, runtimeConfig.memory.maxPages) when it stopped (wasm trap: ${err.message})`,
          { hint: "raise runtimeConfig.memory.maxPages in plugin.yaml", cause: e },
        );
      }
      const what = /call stack/i.test(err.message) ? "stack overflow" : err.message;
      return new RuntimeError("trap", `${subject} crashed (wasm trap: ${what})`, {
        hint: "run with --debug to see the plugin's log; report the crash to the plugin's author",
        cause: e,
      });
    }
    if (name === "LinkError" || name === "CompileError") {
      return new RuntimeError("link", `${subject} (${this.wasmPath}) cannot be instantiated: ${err.message}`, {
        hint: "rebuild the plugin with a current Extism PDK",
        cause: e,
      });
    }
    return new RuntimeError("trap", `${subject} failed inside the host: ${err?.message ?? String(e)}`, { cause: e });
  }
}

/** Opens an Extism module by path under an explicit policy (for tools and conformance tests). */
export function openExtismModule(
  wasmPath: string,
  policy: ExtismPolicyInput = {},
  opts: ExtismOpenOptions = {},
): Promise<ExtismRuntime> {
  return ExtismRuntime.openModule(wasmPath, policy, opts);
}

/** The sandbox policy plugin.yaml grants (cli/v1 plugins get the terminal as WASI stdio). */
export function policyFromManifest(loaded: LoadedPlugin): ExtismPolicyInput {
  const m = loaded.manifest;
  const x = m.extism;
  if (m.runtime !== "extism/v1" || !x) {
    throw new RuntimeError("link", `plugin "${m.name}" (${loaded.file}) has runtime "${m.runtime}", not extism/v1`);
  }
  return {
    name: m.name,
    entryFuncName: x.entryFuncName,
    timeoutMs: x.timeout,
    maxPages: x.memory.maxPages,
    maxHttpResponseBytes: x.memory.maxHttpResponseBytes,
    maxVarBytes: x.memory.maxVarBytes,
    config: x.config,
    allowedHosts: x.allowedHosts,
    allowedPaths: Object.entries(x.allowedPaths).map(([hostPath, mount]) => ({
      hostPath: resolve(loaded.dir, hostPath),
      guestPath: mount.guestPath,
      writable: mount.writable,
    })),
    createTempDir: x.fileSystem.createTempDir,
    env: x.env,
    hostFunctions: x.hostFunctions,
    stdio: m.type === "cli/v1" ? "inherit" : "null",
  };
}

function callHostFunction(fn: HostFunction, kernel: Kernel, h: bigint, pluginName: string): bigint {
  let reply: { result: unknown; error: string | null };
  try {
    const input = h === 0n ? null : JSON.parse(decoder.decode(kernel.read(h)));
    reply = { result: fn.run(input, { pluginName }) ?? null, error: null };
  } catch (e) {
    reply = { result: null, error: `${fn.name}: ${(e as Error).message}` };
  }
  return kernel.store(encoder.encode(JSON.stringify(reply)));
}
