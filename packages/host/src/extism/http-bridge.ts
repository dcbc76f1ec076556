// Synchronous HTTP for plugins: the main thread hands the request to a helper worker and blocks
// in Atomics.wait until the reply is on the port (receiveMessageOnPort). The worker starts on the
// first request of a runtime that has allowedHosts and is reused; its start-up (~20 ms) is only
// paid by plugins that use the network. The call deadline interrupts the wait.
// node:worker_threads itself loads only for such plugins (loadHttpBridge, when the runtime
// opens a module importing http_request): it pulls in node's stream code.
import type { MessagePort, Worker } from "node:worker_threads";
import { hostAllowed } from "./host-glob.js";
import { HostTrap } from "./host-trap.js";
import {
  capstanHttpWorker,
  fetchWithLimits,
  type HttpWorkerReply,
  type HttpWorkerRequest,
} from "./http-worker.js";
import type { KernelHttpRequest, KernelHttpResponse } from "./kernel.js";

/** The worker and port shared by every HttpBridge of the process. */
let shared: { worker: Worker; port: MessagePort; flag: Int32Array } | null = null;
let nextId = 1;
let threads: typeof import("node:worker_threads") | null = null;

/** Loads node:worker_threads for `HttpBridge#request`; call before a plugin that uses HTTP runs. */
export async function loadHttpBridge(): Promise<void> {
  threads ??= await import("node:worker_threads");
}

function workerThreads(): typeof import("node:worker_threads") {
  if (!threads) {
    throw new HostTrap(
      "http",
      "http_request: the HTTP bridge was not loaded (host bug: call loadHttpBridge first)",
    );
  }
  return threads;
}

function start(): { worker: Worker; port: MessagePort; flag: Int32Array } {
  if (shared) return shared;
  const { MessageChannel, Worker } = workerThreads();
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const source = `${hostAllowed.toString()}\n${fetchWithLimits.toString()}\n(${capstanHttpWorker.toString()})(require, ${hostAllowed.name}, ${fetchWithLimits.name});`;
  const worker = new Worker(source, {
    eval: true,
    workerData: { port: port2, flag },
    transferList: [port2],
    name: "capstan-http",
  });
  worker.unref();
  port1.unref();
  worker.on("error", () => {
    shared = null;
  });
  worker.on("exit", () => {
    shared = null;
  });
  shared = { worker, port: port1, flag };
  return shared;
}

/** Stops the shared HTTP worker (tests and long-lived hosts call this when done). */
export async function stopHttpWorker(): Promise<void> {
  const s = shared;
  shared = null;
  if (s) {
    s.port.close();
    await s.worker.terminate();
  }
}

/** HTTP for one plugin: checks allowedHosts and limits, then fetches synchronously. */
export class HttpBridge {
  /** The URL being waited for, while a request is in flight (the deadline message names it). */
  pending: string | null = null;

  constructor(
    private readonly pluginName: string,
    private readonly allowedHosts: readonly string[] | undefined,
    private readonly maxBytes: number,
  ) {}

  /** Throws HostTrap("http-denied") unless the URL's host is in allowedHosts (first hop). */
  check(url: string): void {
    const hosts = this.allowedHosts ?? [];
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new HostTrap("http", `plugin "${this.pluginName}" requested an invalid URL "${url}"`);
    }
    // Before allowedHosts: no host entry could ever allow file:// or ftp://.
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new HostTrap(
        "http-denied",
        `plugin "${this.pluginName}" requested ${url}: scheme "${parsed.protocol}" is not allowed (only http and https)`,
        parsed.protocol === "file:"
          ? "a plugin reads host files through runtimeConfig.allowedPaths (mounted directories), not file:// URLs"
          : "plugins can fetch http:// and https:// URLs only",
      );
    }
    const host = parsed.hostname;
    if (hosts.length === 0 || !hostAllowed(host, hosts)) {
      throw new HostTrap(
        "http-denied",
        hosts.length === 0
          ? `plugin "${this.pluginName}" tried to reach "${host}" but has no network access (runtimeConfig.allowedHosts is empty)`
          : `plugin "${this.pluginName}" tried to reach "${host}", which is not in runtimeConfig.allowedHosts`,
        `if you trust the plugin, add "${host}" to runtimeConfig.allowedHosts in its plugin.yaml`,
      );
    }
  }

  /** Performs the request synchronously (the plugin runs on this thread); throws HostTrap on failure. */
  request(req: KernelHttpRequest): KernelHttpResponse {
    this.check(req.url);
    const { port, flag } = start();
    const { receiveMessageOnPort } = workerThreads();
    const id = nextId++;
    Atomics.store(flag, 0, 0);
    port.postMessage(this.message(req, id));
    this.pending = req.url;
    for (;;) {
      const got = receiveMessageOnPort(port);
      if (got) {
        const reply = got.message as HttpWorkerReply;
        if (reply.id !== id) continue; // a reply to a call the deadline stopped
        this.pending = null;
        return this.unwrap(reply);
      }
      Atomics.wait(flag, 0, 0);
      Atomics.store(flag, 0, 0);
    }
  }

  /** Performs the request on this thread's event loop (the plugin runs in a worker). */
  async requestAsync(req: KernelHttpRequest): Promise<KernelHttpResponse> {
    this.check(req.url);
    this.pending = req.url;
    try {
      return this.unwrap(await fetchWithLimits(this.message(req, 0), hostAllowed));
    } finally {
      this.pending = null;
    }
  }

  private message(req: KernelHttpRequest, id: number): HttpWorkerRequest {
    return {
      id,
      url: req.url,
      method: req.method,
      headers: req.headers,
      body: req.body,
      allowedHosts: [...(this.allowedHosts ?? [])],
      maxBytes: this.maxBytes,
      pluginName: this.pluginName,
      ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}),
    };
  }

  private unwrap(reply: HttpWorkerReply): KernelHttpResponse {
    if (reply.error) {
      const hint =
        reply.error.code === "http-denied"
          ? "if you trust the plugin, add the host to runtimeConfig.allowedHosts in its plugin.yaml"
          : reply.error.code === "http-limit"
            ? "raise runtimeConfig.memory.maxHttpResponseBytes in plugin.yaml"
            : undefined;
      throw new HostTrap(reply.error.code, `plugin "${this.pluginName}": ${reply.error.message}`, hint);
    }
    return { status: reply.status ?? 0, headers: reply.headers ?? {}, body: reply.body ?? new Uint8Array(0) };
  }
}
