// Http: synchronous HTTP through the host (js-pdk `Http.request`), allowed hosts enforced by it.
import { defineGlobal } from "./define.js";
import { kernel } from "./kernel.js";
import { bytesOf, utf8Decode, utf8Encode } from "./utf8.js";

/** A request as js-pdk describes it. */
export interface HttpRequestInit {
  url: string;
  method?: string;
  headers?: Record<string, string | number | boolean>;
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
  const json = JSON.stringify({ url: req.url, method: (req.method ?? "GET").toUpperCase(), headers });
  const payload =
    body === undefined || body === null ? null : typeof body === "string" ? utf8Encode(body) : bytesOf(body);
  const r = kernel.httpRequest(json, payload);
  const b = r.body;
  const bytes =
    b === null || b === undefined ? new Uint8Array(0) : typeof b === "string" ? utf8Encode(b) : bytesOf(b);
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
