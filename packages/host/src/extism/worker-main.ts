// Body of a plugin worker (isolation "worker"): runs calls of one module with the same core as
// the in-process mode. HTTP and host functions are answered by the main thread, whose event
// loop stays free: the worker posts the request and blocks in Atomics.wait until the reply is
// on its port. Stringified into the worker, so it must stay self-contained.

import type { RuntimeErrorCode } from "../errors.js";
import type { WireKind, WireValue } from "../host-functions/linked-host-function.js";
import type { ExtismCore, KernelHttpRequest, KernelHttpResponse, LogLevel, Outcome } from "./core.js";
import type { SandboxPath, StdioPolicy } from "./policy.js";
import type { WasmInstance, WasmModule } from "./wasm-types.js";

/** One call, main -> worker. */
export interface WorkerCall {
  type: "call";
  id: number;
  input: Uint8Array;
  funcName: string;
  config: Record<string, string>;
  vars: Map<string, Uint8Array>;
  maxVarBytes: number;
  maxBlockBytes: number;
  logLevel: number;
  /** WASI context to build, or null when the module does not import WASI. */
  wasi: { env: Record<string, string>; paths: SandboxPath[]; stdio: StdioPolicy } | null;
  /** Host functions to link: Wasm-level parameter and result kinds ("handle" = kernel block). */
  hostFunctions: { name: string; params: WireKind[]; results: WireKind[] }[];
}

/** Messages worker -> main. */
export type WorkerMessage =
  | { type: "log"; level: LogLevel; message: string }
  | { type: "http"; req: KernelHttpRequest }
  | { type: "host"; name: string; args: WireValue[] }
  | { type: "done"; id: number; outcome: Outcome; vars: Map<string, Uint8Array> };

/** Sync replies main -> worker. */
export type WorkerReply =
  | { ok: true; response?: KernelHttpResponse; bytes?: Uint8Array; value?: number | bigint }
  | { ok: false; code: RuntimeErrorCode; message: string; hint?: string };

/** Runs in the worker; never called on the main thread. */
export function capstanExtismWorker(require: (id: string) => unknown, core: ExtismCore): void {
  const wt = require("node:worker_threads") as typeof import("node:worker_threads");
  const parentPort = wt.parentPort as import("node:worker_threads").MessagePort;
  const { module, syncPort, flag } = wt.workerData as {
    module: WasmModule;
    syncPort: import("node:worker_threads").MessagePort;
    flag: Int32Array;
  };
  const Instance = (
    globalThis as unknown as { WebAssembly: { Instance: new (m: WasmModule, i: object) => WasmInstance } }
  ).WebAssembly.Instance;
  let WASI: typeof import("node:wasi").WASI | null = null;

  function loadWasi(): typeof import("node:wasi").WASI {
    if (WASI) return WASI;
    const original = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (/WASI/.test(typeof warning === "string" ? warning : warning.message)) return;
      return (original as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      WASI = (require("node:wasi") as typeof import("node:wasi")).WASI;
    } finally {
      process.emitWarning = original;
    }
    return WASI;
  }

  function syncCall(message: unknown): WorkerReply {
    Atomics.store(flag, 0, 0);
    parentPort.postMessage(message);
    for (;;) {
      const got = wt.receiveMessageOnPort(syncPort);
      if (got) return got.message as WorkerReply;
      Atomics.wait(flag, 0, 0);
      Atomics.store(flag, 0, 0);
    }
  }

  function unwrap(reply: WorkerReply): WorkerReply & { ok: true } {
    if (!reply.ok) throw new core.HostTrap(reply.code, reply.message, reply.hint);
    return reply;
  }

  parentPort.on("message", (msg: WorkerCall) => {
    if (msg.type !== "call") return;
    try {
      handle(msg);
    } catch (e) {
      // Only host-side setup can fail here (invoke itself never throws): report, stay alive.
      const outcome = { kind: "host-bug", message: (e as Error)?.message ?? String(e) } as const;
      parentPort.postMessage({ type: "done", id: msg.id, outcome, vars: msg.vars });
    }
  });

  function handle(msg: WorkerCall): void {
    const kernel = new core.Kernel({
      input: msg.input,
      config: msg.config,
      vars: msg.vars,
      maxVarBytes: msg.maxVarBytes,
      maxBlockBytes: msg.maxBlockBytes,
      logLevel: msg.logLevel,
      log: (level, message) => parentPort.postMessage({ type: "log", level, message }),
      http: (req) => unwrap(syncCall({ type: "http", req })).response as KernelHttpResponse,
    });
    const imports: Record<string, Record<string, unknown>> = { "extism:host/env": kernel.imports() };
    let wasi = null;
    if (msg.wasi) {
      wasi = core.createWasi(loadWasi(), msg.wasi);
      imports.wasi_snapshot_preview1 = wasi.imports;
    }
    if (msg.hostFunctions.length > 0) {
      const user: Record<string, unknown> = {};
      for (const { name, params, results } of msg.hostFunctions) {
        user[name] = (...raw: unknown[]) => {
          const args = params.map((k, i) => {
            const v = raw[i] as number | bigint;
            if (k !== "handle") return v;
            return v === 0n ? null : kernel.read(v as bigint).slice();
          });
          const reply = unwrap(syncCall({ type: "host", name, args }));
          if (results[0] === "handle") return kernel.store(reply.bytes as Uint8Array);
          return reply.value;
        };
      }
      imports["extism:host/user"] = user;
    }
    const outcome = core.invoke({
      module,
      Instance,
      imports,
      kernel,
      wasi,
      funcName: msg.funcName,
      guard: (fn) => fn(), // the main thread terminates this worker at the deadline
      isDeadline: () => false,
    });
    const transfer = outcome.kind === "ok" ? [outcome.output.buffer as ArrayBuffer] : [];
    parentPort.postMessage({ type: "done", id: msg.id, outcome, vars: msg.vars }, transfer);
  }
}
