// The extism/v1 runtime: runs plugin.wasm against Capstan's own implementation of the Extism
// kernel ABI, inside the sandbox its policy describes (docs/security.md), in-process by default
// or in a worker thread (isolation "worker"). The module is compiled once per process; every
// call gets a fresh instance, fresh WASI context and (when granted) a fresh /tmp; a hard
// deadline stops any call that runs too long.
// Start-up matters here (a CLI plugin call is a process): node:fs/promises and
// node:worker_threads load only when a call needs them (worker isolation, HTTP); the per-call
// /tmp is made and removed synchronously (microseconds, no thread-pool round trips).
import * as nodeFs from "node:fs";
import { mkdtempSync, realpathSync, rmSync, statSync } from "node:fs";
import * as nodeOs from "node:os";
import { tmpdir } from "node:os";
import * as nodePath from "node:path";
import { join, resolve, sep } from "node:path";
import { type LoadedPlugin, terminalText } from "@capstan/manifest";
import { RuntimeError } from "./errors.js";
import { extismCore, type KernelInstance, type Outcome, type WasiContext } from "./extism/core.js";
import { DeadlineExceeded, MainWebAssembly, runWithDeadline } from "./extism/deadline.js";
import { HttpBridge, loadHttpBridge } from "./extism/http-bridge.js";
import { LOG_LEVELS, LOG_OFF, type LogLevel } from "./extism/kernel.js";
import { type LinkPlan, planLinks } from "./extism/link.js";
import { MEMORY_IMPORT } from "./extism/memory-pool.js";
import { compileModule, memoryPoolOf, moduleForCall } from "./extism/module-cache.js";
import { outcomeError } from "./extism/outcome-error.js";
import {
  type ExtismPolicy,
  type ExtismPolicyInput,
  resolvePolicy,
  type StdioPolicy,
  timeoutOr,
} from "./extism/policy.js";
import { loadWasiClass } from "./extism/wasi.js";
import { wasiSandbox } from "./extism/wasi-sandbox.js";
import type { WasmModule } from "./extism/wasm-types.js";
import type { WorkerIsolate } from "./extism/worker-isolate.js";
import type { CustomHostFunction } from "./host-functions/define-host-function.js";
import {
  customHostFunctions,
  type LinkedHostFunction,
  type WireValue,
} from "./host-functions/linked-host-function.js";

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
  /**
   * "inline" (default): calls run on this thread under a vm deadline; no start-up cost, but
   * the event loop is blocked during a call. "worker": calls run in a worker thread (~20 ms to
   * start, once per runtime) and this thread stays free (servers in the same process, parallel work).
   */
  isolation?: "inline" | "worker";
  /**
   * The embedder's own host functions (defineHostFunction), importable from "extism:host/user"
   * by this plugin: registering one grants it. Async ones need isolation "worker"; a name of a
   * built-in is refused. Default none.
   */
  hostFunctions?: readonly CustomHostFunction[];
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
const builtins: Record<string, unknown> = { "node:fs": nodeFs, "node:os": nodeOs, "node:path": nodePath };
/** The in-process copy of the core (kernel, WASI context, invoke). */
const core = extismCore(
  (id) => builtins[id],
  wasiSandbox((id) => builtins[id]),
);

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
  private readonly isolate: WorkerIsolate | null;
  private closed = false;

  private constructor(
    wasmPath: string,
    policy: ExtismPolicy,
    module: WasmModule,
    plan: LinkPlan,
    wasiClass: WasiCtor | null,
    opts: ExtismOpenOptions,
    Isolate: typeof WorkerIsolate | null,
  ) {
    this.wasmPath = wasmPath;
    this.policy = policy;
    this.module = module;
    this.plan = plan;
    this.wasiClass = wasiClass;
    this.http = new HttpBridge(policy.name, policy.allowedHosts, policy.maxHttpResponseBytes);
    const level = opts.logLevel ?? (opts.debug ? "trace" : "warn");
    this.logLevel = level === "off" ? LOG_OFF : LOG_LEVELS.indexOf(level);
    this.log =
      opts.log ?? ((lvl, msg) => process.stderr.write(`${terminalText(`${policy.name}: ${lvl}: ${msg}`)}\n`));
    this.isolate = Isolate
      ? new Isolate(module, {
          http: (req) => this.http.requestAsync(req),
          host: (name, args) => {
            const fn = plan.hostFunctions.find((f) => f.name === name);
            if (!fn)
              throw new RuntimeError(
                "capability",
                `plugin "${policy.name}" called host function "${name}", which it was not granted`,
                {
                  hint: `add "${name}" to runtimeConfig.hostFunctions in plugin.yaml if the plugin should use it`,
                },
              );
            return fn.invoke(args, { pluginName: policy.name });
          },
          log: (level, message) => this.log(level, message),
        })
      : null;
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
    checkPaths(full);
    const inline = opts.isolation !== "worker";
    // From its second call on, an inline call takes its memory from a pool (moduleForCall,
    // memory-pool.ts); a worker gets the module as is.
    const module = await compileModule(path, full.maxPages, full.name);
    const custom = customHostFunctions(opts.hostFunctions ?? [], inline ? "inline" : "worker", full.name);
    const plan = await planLinks(module, full, path, custom);
    await Promise.all(plan.hostFunctions.map((f) => f.prepare?.()));
    const wasiClass = plan.wasi ? await loadWasiClass() : null;
    const Isolate = inline ? null : (await import("./extism/worker-isolate.js")).WorkerIsolate;
    // Inline calls make HTTP requests synchronously through a helper worker. Without
    // allowedHosts every request is refused before it would reach the worker (HttpBridge#check),
    // so node:worker_threads is not even loaded.
    if (plan.http && !Isolate && (full.allowedHosts?.length ?? 0) > 0) await loadHttpBridge();
    return new ExtismRuntime(path, full, module, plan, wasiClass, opts, Isolate);
  }

  /** Calls the entry export with `input`; resolves to the plugin's output bytes. */
  async call(input: Uint8Array | string, opts: ExtismCallOptions = {}): Promise<Uint8Array> {
    if (this.closed) {
      throw new RuntimeError("closed", `plugin "${this.policy.name}": the runtime was closed`, {
        hint: "open a new runtime (ExtismRuntime.open) for further calls",
      });
    }
    const bytes = typeof input === "string" ? encoder.encode(input) : input;
    const funcName = opts.funcName ?? this.policy.entryFuncName;
    const timeoutMs = timeoutOr(opts.timeoutMs, this.policy.timeoutMs, this.policy.name);
    const tmp = this.policy.createTempDir
      ? mkdtempSync(join(opts.tempDir ?? tmpdir(), "capstan-tmp-"))
      : undefined;
    try {
      if (this.isolate) return await this.runInWorker(this.isolate, bytes, funcName, timeoutMs, tmp);
      return this.run(await moduleForCall(this.module), bytes, funcName, timeoutMs, tmp);
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Releases the runtime; later calls reject with code "closed". */
  async close(): Promise<void> {
    this.closed = true;
    await this.isolate?.close();
  }

  private async runInWorker(
    isolate: WorkerIsolate,
    input: Uint8Array,
    funcName: string,
    timeoutMs: number,
    tmp: string | undefined,
  ): Promise<Uint8Array> {
    const p = this.policy;
    const { outcome, vars } = await isolate.call(
      {
        input,
        funcName,
        config: p.config,
        vars: this.vars,
        maxVarBytes: p.maxVarBytes,
        maxBlockBytes: p.maxPages * 65536,
        logLevel: this.logLevel,
        wasi: this.wasiClass ? { env: this.env, paths: this.wasiPaths(tmp), stdio: p.stdio } : null,
        hostFunctions: this.plan.hostFunctions.map(({ name, params, results }) => ({
          name,
          params,
          results,
        })),
      },
      timeoutMs,
    );
    if (vars) {
      this.vars.clear();
      for (const [k, v] of vars) this.vars.set(k, v);
    }
    return this.output(outcome, timeoutMs);
  }

  /** A call's output, or the error its outcome maps to (naming the request it waited for). */
  private output(outcome: Outcome, timeoutMs: number): Uint8Array {
    if (outcome.kind === "ok") return outcome.output;
    const waitingFor = this.http.pending;
    this.http.pending = null;
    throw outcomeError(outcome, {
      policy: this.policy,
      wasmPath: this.wasmPath,
      timeoutMs,
      waitingFor,
      exportNames: this.exportNames,
    });
  }

  /** Exported functions a caller may name (`_start`, `_initialize` and other `_` names left out). */
  private readonly exportNames = (): string[] =>
    MainWebAssembly.Module.exports(this.module)
      .filter((e) => e.kind === "function" && !e.name.startsWith("_"))
      .map((e) => e.name);

  private wasiPaths(tmp: string | undefined) {
    const paths = [...this.policy.allowedPaths];
    if (tmp) paths.push({ hostPath: tmp, guestPath: "/tmp", writable: true });
    return paths;
  }

  private run(
    module: WasmModule,
    input: Uint8Array,
    funcName: string,
    timeoutMs: number,
    tmp: string | undefined,
  ): Uint8Array {
    const p = this.policy;
    const kernel = new core.Kernel({
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
      try {
        wasi = core.createWasi(this.wasiClass, { env: this.env, paths: this.wasiPaths(tmp), stdio: p.stdio });
      } catch (e) {
        this.http.pending = null;
        return this.output(
          { kind: "host-bug", message: `WASI setup failed: ${(e as Error).message}` },
          timeoutMs,
        );
      }
      imports.wasi_snapshot_preview1 = plainCallables(wasi.imports);
    }
    if (this.plan.hostFunctions.length > 0) {
      imports["extism:host/user"] = Object.fromEntries(
        this.plan.hostFunctions.map((f) => [f.name, inlineHostFunction(f, kernel, p.name)]),
      );
    }
    const pool = memoryPoolOf(module);
    const memory = pool?.take();
    if (memory) imports[MEMORY_IMPORT.module] = { [MEMORY_IMPORT.name]: memory };
    let outcome: ReturnType<typeof core.invoke>;
    try {
      outcome = core.invoke({
        module,
        Instance: MainWebAssembly.Instance,
        imports,
        kernel,
        wasi,
        funcName,
        guard: (fn) => runWithDeadline(fn, timeoutMs),
        isDeadline: (e) => e instanceof DeadlineExceeded,
      });
    } finally {
      if (memory) pool?.give(memory);
    }
    return this.output(outcome, timeoutMs);
  }
}

/**
 * The same functions as plain JS closures. node:wasi's functions are C++ fast-API functions,
 * for which V8 compiles a wrapper per function and per instance: ~0.7 ms on every call for
 * WASI's 46 imports (docs/benchmarks.md). A closure's wrapper is cached by signature.
 */
function plainCallables(fns: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(fns)) {
    out[name] = typeof fn === "function" ? (...args: unknown[]) => fn(...args) : fn;
  }
  return out;
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
    throw new RuntimeError(
      "link",
      `plugin "${m.name}" (${loaded.file}) has runtime "${m.runtime}", not extism/v1`,
      {
        hint: "run it through the invokers (invokeCli, invokeGetter, invokePostrenderers), which pick its runtime",
      },
    );
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
      hostPath: insidePluginDir(loaded, resolve(loaded.dir, hostPath)),
      guestPath: mount.guestPath,
      writable: mount.writable,
    })),
    createTempDir: x.fileSystem.createTempDir,
    env: x.env,
    hostFunctions: x.hostFunctions,
    stdio: m.type === "cli/v1" ? "inherit" : "null",
  };
}

/** Whether `path` is `dir` or inside it (lexically; `separator` "/" for guest paths). */
function within(path: string, dir: string, separator = sep): boolean {
  return path === dir || path.startsWith(dir.endsWith(separator) ? dir : dir + separator);
}

/**
 * A host path under the plugin directory (relative ones always are) must stay there once
 * symlinks are resolved: a link such as `data -> /` would otherwise mount the whole host.
 */
function insidePluginDir(loaded: LoadedPlugin, hostPath: string): string {
  if (!within(hostPath, loaded.dir)) return hostPath; // an absolute path the author chose
  let real: string;
  let dir: string;
  try {
    [real, dir] = [realpathSync(hostPath), realpathSync(loaded.dir)];
  } catch {
    return hostPath; // missing: checkPaths reports it
  }
  if (!within(real, dir)) {
    throw new RuntimeError(
      "config",
      `plugin "${loaded.manifest.name}": runtimeConfig.allowedPaths: ${hostPath} leads outside the plugin directory (to ${real})`,
      { hint: `write the host path itself in ${loaded.file} if it should be mounted, or remove the symlink` },
    );
  }
  return hostPath;
}

/**
 * Every allowedPaths host directory must exist (node:wasi fails obscurely otherwise), and no two
 * mounts (the per-call /tmp included) may share or nest guest paths: node:wasi would collapse
 * them and the read-only one could become writable.
 */
function checkPaths(policy: ExtismPolicy): void {
  const guests = policy.allowedPaths.map((p) => p.guestPath);
  if (policy.createTempDir) guests.push("/tmp");
  guests.forEach((a, i) => {
    const b = guests.find((g, j) => j !== i && (within(a, g, "/") || within(g, a, "/")));
    if (b !== undefined) {
      throw new RuntimeError(
        "config",
        `plugin "${policy.name}": runtimeConfig.allowedPaths: guest path ${a} overlaps ${b}`,
        {
          hint: "give every mount its own guest path, not one inside another (createTempDir mounts /tmp)",
        },
      );
    }
  });
  for (const p of policy.allowedPaths) {
    let st: nodeFs.Stats | null = null;
    try {
      st = statSync(p.hostPath);
    } catch {
      // reported below
    }
    if (!st?.isDirectory()) {
      throw new RuntimeError(
        "config",
        `plugin "${policy.name}": runtimeConfig.allowedPaths: ${p.hostPath} (mounted at ${p.guestPath}) ${st ? "is not a directory" : "does not exist"}`,
        { hint: "create the directory or fix allowedPaths in plugin.yaml" },
      );
    }
  }
}

/** The import for `fn` in an inline call: reads handle arguments, stores a handle result. */
function inlineHostFunction(
  fn: LinkedHostFunction,
  kernel: KernelInstance,
  pluginName: string,
): (...raw: unknown[]) => unknown {
  const ctx = { pluginName };
  // Handle arguments are views of kernel memory, valid during the call (linkCustom copies `bytes`).
  const arg = (k: string, v: number | bigint): WireValue =>
    k !== "handle" ? v : v === 0n ? null : kernel.read(v as bigint);
  if (fn.params.length === 1) {
    const k = fn.params[0]!;
    return (v) => {
      const out = fn.invoke([arg(k, v as number | bigint)], ctx);
      return fn.results[0] === "handle" ? kernel.store(out as Uint8Array) : out;
    };
  }
  return (...raw) => {
    const args = fn.params.map((k, i) => arg(k, raw[i] as number | bigint));
    const out = fn.invoke(args, ctx);
    // customHostFunctions refuses async functions inline; linkCustom refuses a stray Promise.
    if (fn.results[0] === "handle") return kernel.store(out as Uint8Array);
    return out;
  };
}
