// The main-thread side of isolation "worker": one worker per runtime runs the calls; the
// deadline is a timer that terminates the worker (a fresh one starts on the next call), and
// this thread answers the worker's HTTP and host-function requests on its free event loop.
// Costs a worker start (~20 ms) on the first call; use it when the host must keep its event
// loop running during calls (servers, concurrent work), not for one-shot CLI calls.
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { RuntimeErrorCode } from "../errors.js";
import type { WireValue } from "../host-functions/linked-host-function.js";
import { extismCore, type Outcome } from "./core.js";
import type { KernelHttpRequest, KernelHttpResponse, LogLevel } from "./kernel.js";
import { wasiSandbox } from "./wasi-sandbox.js";
import type { WasmModule } from "./wasm-types.js";
import { capstanExtismWorker, type WorkerCall, type WorkerMessage, type WorkerReply } from "./worker-main.js";

/** What the worker asks of the main thread. */
export interface IsolateHandlers {
  http(req: KernelHttpRequest): Promise<KernelHttpResponse>;
  /** Runs a host function; bytes for a handle result, a number, or nothing. May be async. */
  host(name: string, args: WireValue[]): WireValue | undefined | Promise<WireValue | undefined>;
  log(level: LogLevel, message: string): void;
}

const source = `(${capstanExtismWorker.toString()})(require, (${extismCore.toString()})(require, (${wasiSandbox.toString()})(require)));`;

/** A worker running one module's calls, one at a time. */
export class WorkerIsolate {
  private worker: Worker | null = null;
  private syncPort: MessagePort | null = null;
  private flag: Int32Array | null = null;
  private current: {
    id: number;
    settle: (r: { outcome: Outcome; vars: Map<string, Uint8Array> | null }) => void;
  } | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly module: WasmModule,
    private readonly handlers: IsolateHandlers,
  ) {}

  /** Runs one call; resolves to its outcome and the vars after it (null when stopped). */
  call(
    msg: Omit<WorkerCall, "type" | "id">,
    timeoutMs: number,
  ): Promise<{ outcome: Outcome; vars: Map<string, Uint8Array> | null }> {
    const run = this.queue.then(() => this.run(msg, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.kill();
  }

  private run(msg: Omit<WorkerCall, "type" | "id">, timeoutMs: number) {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    worker.ref();
    return new Promise<{ outcome: Outcome; vars: Map<string, Uint8Array> | null }>((resolve) => {
      const timer = setTimeout(() => {
        void this.kill();
        settle({ outcome: { kind: "deadline" }, vars: null });
      }, timeoutMs);
      const settle = (r: { outcome: Outcome; vars: Map<string, Uint8Array> | null }) => {
        if (this.current?.id !== id) return;
        this.current = null;
        clearTimeout(timer);
        this.worker?.unref();
        resolve(r);
      };
      this.current = { id, settle };
      worker.postMessage({ ...msg, type: "call", id } satisfies WorkerCall);
    });
  }

  private start(): Worker {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(source, {
      eval: true,
      workerData: { module: this.module, syncPort: port2, flag },
      transferList: [port2],
      name: "capstan-plugin",
    });
    worker.unref();
    port1.unref();
    worker.on("message", (m: WorkerMessage) => this.onMessage(worker, m));
    const fail = (message: string) => {
      if (this.worker === worker) {
        this.worker = null;
        this.current?.settle({ outcome: { kind: "host-bug", message }, vars: null });
      }
    };
    worker.on("error", (e) => fail(`plugin worker failed: ${e.message}`));
    worker.on("exit", (code) => fail(`plugin worker exited (${code})`));
    this.worker = worker;
    this.syncPort = port1;
    this.flag = flag;
    return worker;
  }

  private async kill(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.syncPort?.close();
    this.syncPort = null;
    if (w) await w.terminate();
  }

  private onMessage(worker: Worker, m: WorkerMessage): void {
    if (worker !== this.worker) return;
    switch (m.type) {
      case "log":
        this.handlers.log(m.level, m.message);
        return;
      case "done":
        this.current?.settle({ outcome: m.outcome, vars: m.vars });
        return;
      case "host": {
        // An async host function answers when it settles; the plugin's thread waits meanwhile.
        let out: ReturnType<IsolateHandlers["host"]>;
        try {
          out = this.handlers.host(m.name, m.args);
        } catch (e) {
          this.reply(worker, failure(e));
          return;
        }
        const answer = (v: WireValue | undefined): WorkerReply =>
          v instanceof Uint8Array ? { ok: true, bytes: v } : { ok: true, value: v ?? undefined };
        // A synchronous answer goes back at once: a microtask hop per call slows the plugin.
        if (!(out instanceof Promise)) {
          this.reply(worker, answer(out));
          return;
        }
        out.then(
          (v) => this.reply(worker, answer(v)),
          (e) => this.reply(worker, failure(e)),
        );
        return;
      }
      case "http":
        this.handlers.http(m.req).then(
          (response) => this.reply(worker, { ok: true, response }),
          (e) => this.reply(worker, failure(e)),
        );
        return;
    }
  }

  private reply(worker: Worker, r: WorkerReply): void {
    if (worker !== this.worker || !this.syncPort || !this.flag) return; // stopped meanwhile
    this.syncPort.postMessage(r);
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
  }
}

function failure(e: unknown): WorkerReply {
  const t = e as { code?: unknown; message?: string; hint?: string };
  const code = typeof t?.code === "string" ? (t.code as RuntimeErrorCode) : "trap";
  return {
    ok: false,
    code,
    message: t?.message ?? String(e),
    ...(t?.hint === undefined ? {} : { hint: t.hint }),
  };
}
