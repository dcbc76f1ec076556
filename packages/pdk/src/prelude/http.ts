// Http: synchronous HTTP through the host (js-pdk `Http.request`), allowed hosts enforced by it.
import { defineGlobal } from "./define.js";
import { kernel } from "./kernel.js";
import { bytesOf, utf8Decode, utf8Encode } from "./utf8.js";

/** A request as js-pdk describes it. */
export interface HttpRequestInit {
  url: string;
  method?: string;
  headers?: Record<string, string | number | boolean>;
  /** Capstan addition: give up after so many ms (a catchable error, not the end of the call). */
  timeoutMs?: number;
}

/** Thrown by Http.request for connection, DNS and timeout failures and sandbox refusals. */
export class HttpError extends Error {
  /** `http` (network), `http-denied` (not in allowedHosts) or `http-limit` (response too big). */
  readonly code: string;
  /** What to do about it (sandbox refusals name the plugin.yaml field). */
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(hint ? `${message} (hint: ${hint})` : message);
    this.name = "HttpError";
    this.code = code;
    this.hint = hint;
  }
  /** True when the request ran out of its `timeoutMs`. */
  get timedOut(): boolean {
    return this.code === "http" && this.message.endsWith("(ETIMEDOUT)");
  }
}

/** The host's failure report (Capstan hosts answer status 0 to requests marked catchable). */
function failure(bytes: Uint8Array): HttpError {
  let d: { code?: unknown; message?: unknown; hint?: unknown } = {};
  try {
    d = JSON.parse(utf8Decode(bytes)) as typeof d;
  } catch {
    // an unknown host reported status 0 with another body
  }
  const message = typeof d.message === "string" ? d.message : "the HTTP request failed";
  return new HttpError(
    typeof d.code === "string" ? d.code : "http",
    message,
    typeof d.hint === "string" ? d.hint : undefined,
  );
}

/** The raw result: body bytes and lower-cased header names. */
export interface RawHttpResponse {
  status: number;
  bytes: Uint8Array;
  headers: Record<string, string>;
}

function normalizeHeaders(h: Record<string, string> | string | null | undefined): Record<string, string> {
  const obj = typeof h === "string" ? (h ? (JSON.parse(h) as Record<string, unknown>) : {}) : (h ?? {});
  const out: Record<string, string> = {};
  for (const k of Object.keys(obj)) out[k.toLowerCase()] = String(obj[k]);
  return out;
}

/** Sends a request; the body may be a string (UTF-8), an ArrayBuffer or a typed array. */
export function rawRequest(
  req: HttpRequestInit,
  body?: string | ArrayBuffer | ArrayBufferView | null,
): RawHttpResponse {
  if (!req || typeof req.url !== "string") throw new TypeError("Http.request: `url` (string) is required");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = String(v);
  // `catchable` asks a Capstan host to report failures as status 0 (others ignore the field
  // and end the call, as the Extism ABI has no error channel for http_request).
  const timeoutMs = Number(req.timeoutMs);
  const json = JSON.stringify({
    url: req.url,
    method: (req.method ?? "GET").toUpperCase(),
    headers,
    catchable: true,
    ...(timeoutMs > 0 ? { timeoutMs: Math.ceil(timeoutMs) } : {}),
  });
  const payload =
    body === undefined || body === null ? null : typeof body === "string" ? utf8Encode(body) : bytesOf(body);
  const r = kernel.httpRequest(json, payload);
  const b = r.body;
  const bytes =
    b === null || b === undefined ? new Uint8Array(0) : typeof b === "string" ? utf8Encode(b) : bytesOf(b);
  if (r.status === 0) throw failure(bytes);
  return { status: r.status, bytes, headers: normalizeHeaders(r.headers) };
}

/** The `Http` global. */
export const Http = {
  /**
   * Sends a request synchronously. Returns `{status, body, headers}` with the body decoded as
   * UTF-8; `bodyBytes` (Capstan addition) holds the raw bytes for binary responses.
   */
  request(req: HttpRequestInit, body?: string | ArrayBuffer | ArrayBufferView) {
    const r = rawRequest(req, body);
    let text: string | undefined;
    const res = { status: r.status, headers: r.headers, body: "" };
    Object.defineProperty(res, "body", { enumerable: true, get: () => (text ??= utf8Decode(r.bytes)) });
    Object.defineProperty(res, "bodyBytes", { enumerable: false, get: () => r.bytes.slice().buffer });
    return res as {
      status: number;
      headers: Record<string, string>;
      body: string;
      readonly bodyBytes: ArrayBuffer;
    };
  },
};

defineGlobal("Http", Http);
