// The HTTP side of the sandbox runs in a helper worker because plugins call http_request
// synchronously: the main thread posts the request and blocks in Atomics.wait until the worker
// has fetched it (see http-bridge.ts). This function is stringified into the worker, so it must
// stay self-contained: it gets `require` and the host matcher as arguments.

/** Shape of a request message to the worker. */
export interface HttpWorkerRequest {
  id: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  allowedHosts: string[];
  maxBytes: number;
  pluginName: string;
  /** Gives up on the request (all hops and the body) after so many ms. */
  timeoutMs?: number;
}

/** Shape of a reply: a response or an error with a RuntimeError code. */
export interface HttpWorkerReply {
  id: number;
  status?: number;
  headers?: Record<string, string>;
  body?: Uint8Array;
  error?: { code: "http" | "http-denied" | "http-limit"; message: string };
}

/** Fetches `req` following redirects (each hop checked against allowedHosts) with the body
 * capped at maxBytes; never throws: network failures become `http` errors that name the cause
 * (refused, DNS, timeout). Self-contained: also stringified into the HTTP worker. */
export async function fetchWithLimits(
  req: HttpWorkerRequest,
  hostAllowed: (host: string, globs: readonly string[]) => boolean,
): Promise<HttpWorkerReply> {
  const signal = req.timeoutMs ? AbortSignal.timeout(req.timeoutMs) : undefined;
  try {
    return await fetchHops(req, hostAllowed, signal);
  } catch (e) {
    const err = e as Error & { cause?: { message?: string; code?: string } };
    const code = err.cause?.code ?? (err.name === "TimeoutError" ? "ETIMEDOUT" : undefined);
    const words: Record<string, string> = {
      ECONNREFUSED: "connection refused",
      ECONNRESET: "connection reset by the server",
      ENOTFOUND: "host not found (DNS)",
      EAI_AGAIN: "host name lookup failed (DNS)",
      ETIMEDOUT: `no answer within ${req.timeoutMs} ms (timeoutMs)`,
      UND_ERR_CONNECT_TIMEOUT: "connect timeout",
      UND_ERR_SOCKET: "the connection closed unexpectedly",
    };
    const detail = code && words[code] ? `${words[code]} (${code})` : (err.cause?.message ?? err.message);
    return { id: req.id, error: { code: "http", message: `${req.method} ${req.url} failed: ${detail}` } };
  }

  async function fetchHops(
    req: HttpWorkerRequest,
    hostAllowed: (host: string, globs: readonly string[]) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<HttpWorkerReply> {
    const redirects = new Set([301, 302, 303, 307, 308]);
    let url = req.url;
    let method = req.method;
    let body: Uint8Array | null = req.body;
    let sendHeaders = req.headers;
    for (let hop = 0; hop <= 10; hop++) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return { id: req.id, error: { code: "http", message: `invalid URL "${url}"` } };
      }
      if (u.protocol !== "http:" && u.protocol !== "https:") {
        return {
          id: req.id,
          error: {
            code: "http-denied",
            message: `scheme "${u.protocol}" of ${url} is not allowed (only http and https)`,
          },
        };
      }
      if (!hostAllowed(u.hostname, req.allowedHosts)) {
        const why = hop === 0 ? "" : ` (redirected from ${req.url})`;
        return {
          id: req.id,
          error: {
            code: "http-denied",
            message: `host "${u.hostname}"${why} is not in runtimeConfig.allowedHosts`,
          },
        };
      }
      const sendBody = body !== null && method !== "GET" && method !== "HEAD";
      const res = await fetch(url, {
        method,
        headers: sendHeaders,
        body: sendBody ? body : undefined,
        redirect: "manual",
        ...(signal ? { signal } : {}),
      });
      const location = res.headers.get("location");
      if (redirects.has(res.status) && location) {
        await res.body?.cancel();
        const next = new URL(location, url);
        // Like browsers and Go's client: credentials meant for one origin are not sent to another.
        if (next.origin !== u.origin) {
          const secret = new Set(["authorization", "cookie", "proxy-authorization"]);
          sendHeaders = Object.fromEntries(
            Object.entries(sendHeaders).filter(([k]) => !secret.has(k.toLowerCase())),
          );
        }
        url = next.href;
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
          method = "GET";
          body = null;
        }
        continue;
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      const reader = res.body?.getReader();
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > req.maxBytes) {
          await reader.cancel();
          return {
            id: req.id,
            error: {
              code: "http-limit",
              message: `the response from ${url} is larger than ${req.maxBytes} bytes (runtimeConfig.memory.maxHttpResponseBytes)`,
            },
          };
        }
        chunks.push(value);
      }
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k] = v;
      });
      return { id: req.id, status: res.status, headers, body: out };
    }
    return { id: req.id, error: { code: "http", message: `too many redirects from ${req.url}` } };
  }
}

/** Worker body (runs in the worker; never called on the main thread). */
export function capstanHttpWorker(
  require: (id: string) => unknown,
  hostAllowed: (host: string, globs: readonly string[]) => boolean,
  fetchWithLimits: (
    req: HttpWorkerRequest,
    hostAllowed: (host: string, globs: readonly string[]) => boolean,
  ) => Promise<HttpWorkerReply>,
): void {
  const { workerData } = require("node:worker_threads") as {
    workerData: { port: import("node:worker_threads").MessagePort; flag: Int32Array };
  };
  const { port, flag } = workerData;
  port.on("message", async (req: HttpWorkerRequest) => {
    const reply = await fetchWithLimits(req, hostAllowed);
    port.postMessage(reply, reply.body ? [reply.body.buffer as ArrayBuffer] : []);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
}
