// fetch, Headers, Request and Response over the synchronous Http.request: the promise is
// already settled when fetch returns, so `await fetch(...)` works in async exports.
import { defineGlobal, tag } from "./define.js";
import { DOMException } from "./dom-exception.js";
import { HttpError, rawRequest } from "./http.js";
import { kernel } from "./kernel.js";
import { URL } from "./url.js";
import { bytesOf, utf8Decode, utf8Encode } from "./utf8.js";

type HeadersInit = Headers | Array<[string, string]> | Record<string, string>;

/** The `Headers` global (names lower-cased, iteration sorted, set-cookie kept apart). */
export class Headers {
  private _m = new Map<string, string[]>();
  constructor(init?: HeadersInit) {
    if (!init) return;
    if (init instanceof Headers)
      init.forEach((v, k) => {
        this.append(k, v);
      });
    else if (
      Array.isArray(init) ||
      typeof (init as unknown as Iterable<unknown>)[Symbol.iterator] === "function"
    ) {
      for (const pair of init as Iterable<[string, string]>) {
        const arr = Array.from(pair);
        if (arr.length !== 2) throw new TypeError("Header pairs must contain exactly two items");
        this.append(arr[0] as string, arr[1] as string);
      }
    } else for (const k of Object.keys(init)) this.append(k, (init as Record<string, string>)[k] as string);
  }
  private static _name(n: string): string {
    const s = String(n);
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(s)) throw new TypeError(`Invalid header name: "${s}"`);
    return s.toLowerCase();
  }
  append(name: string, value: string): void {
    const k = Headers._name(name);
    const v = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    const list = this._m.get(k);
    if (list) list.push(v);
    else this._m.set(k, [v]);
  }
  delete(name: string): void {
    this._m.delete(Headers._name(name));
  }
  get(name: string): string | null {
    const list = this._m.get(Headers._name(name));
    return list ? list.join(", ") : null;
  }
  getSetCookie(): string[] {
    return [...(this._m.get("set-cookie") ?? [])];
  }
  has(name: string): boolean {
    return this._m.has(Headers._name(name));
  }
  set(name: string, value: string): void {
    this._m.set(Headers._name(name), [String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "")]);
  }
  forEach(cb: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
  *entries(): IterableIterator<[string, string]> {
    for (const k of [...this._m.keys()].sort()) {
      if (k === "set-cookie") for (const v of this._m.get(k) as string[]) yield [k, v];
      else yield [k, this.get(k) as string];
    }
  }
  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

type BodyInit = string | ArrayBuffer | ArrayBufferView | URLSearchParamsLike | null | undefined;
interface URLSearchParamsLike {
  toString(): string;
  append(n: string, v: string): void;
}

function toBytes(body: BodyInit, headers: Headers): Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
    return utf8Encode(body);
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return bytesOf(body).slice();
  if (Object.prototype.toString.call(body) === "[object URLSearchParams]") {
    if (!headers.has("content-type"))
      headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
    return utf8Encode(body.toString());
  }
  return utf8Encode(String(body));
}

/** Shared body reading for Request and Response (a body can be read once). */
class Body {
  protected _bytes: Uint8Array | null = null;
  bodyUsed = false;
  private _take(): Uint8Array {
    if (this.bodyUsed) throw new TypeError("Body is unusable: Body has already been read");
    this.bodyUsed = true;
    return this._bytes ?? new Uint8Array(0);
  }
  get body(): Uint8Array | null {
    return this._bytes;
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    try {
      return Promise.resolve(this._take().slice().buffer as ArrayBuffer);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  bytes(): Promise<Uint8Array> {
    return this.arrayBuffer().then((b) => new Uint8Array(b));
  }
  text(): Promise<string> {
    try {
      return Promise.resolve(utf8Decode(this._take()));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  json(): Promise<unknown> {
    return this.text().then((t) => JSON.parse(t));
  }
}

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit;
  signal?: unknown;
  redirect?: string;
}

/** The `Request` global. */
export class Request extends Body {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  constructor(input: string | URL | Request, init: RequestInit = {}) {
    super();
    const base = input instanceof Request ? input : null;
    this.url = base ? base.url : String(new URL(String(input)));
    this.method = String(init.method ?? base?.method ?? "GET").toUpperCase();
    this.headers = new Headers(init.headers ?? base?.headers);
    this._bytes = init.body !== undefined ? toBytes(init.body, this.headers) : (base?._bytes ?? null);
    if (this._bytes && (this.method === "GET" || this.method === "HEAD"))
      throw new TypeError("Request with GET/HEAD method cannot have body.");
  }
  clone(): Request {
    return new Request(this);
  }
}

/** The `Response` global. */
export class Response extends Body {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly type: string = "default";
  url = "";
  redirected = false;
  constructor(body?: BodyInit, init: { status?: number; statusText?: string; headers?: HeadersInit } = {}) {
    super();
    this.status = init.status ?? 200;
    if (this.status < 200 || this.status > 599)
      throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    this.statusText = init.statusText ?? "";
    this.headers = new Headers(init.headers);
    this._bytes = toBytes(body, this.headers);
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  clone(): Response {
    if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
    const r = new Response(this._bytes ? this._bytes.slice() : null, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
    r.url = this.url;
    return r;
  }
  /** A JSON response. */
  static json(
    data: unknown,
    init: { status?: number; statusText?: string; headers?: HeadersInit } = {},
  ): Response {
    const headers = new Headers(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(JSON.stringify(data), { ...init, headers });
  }
  /** A network error response (status 0). */
  static error(): Response {
    const r = new Response(null, { status: 200 });
    (r as { status: number }).status = 0;
    (r as { type: string }).type = "error";
    return r;
  }
}

/** `fetch` over Http.request; resolves with a Response, rejects with TypeError on a host failure. */
export function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  try {
    const signal = (init?.signal ?? null) as { aborted?: boolean; reason?: unknown } | null;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const req = new Request(input, init);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      headers[k] = v;
    });
    // AbortSignal.timeout(ms) becomes the host's per-request timeout (the request is synchronous)
    const deadline = (signal as { _deadline?: number } | null)?._deadline;
    const timeoutMs = deadline === undefined ? undefined : Math.max(1, deadline - kernel.hrtime());
    const raw = rawRequest({ url: req.url, method: req.method, headers, timeoutMs }, req.body);
    // the host cannot report a status outside 200-599 as a Response; keep it as is
    const res = new Response(null, { headers: raw.headers });
    (res as { status: number }).status = raw.status;
    (res as unknown as { _bytes: Uint8Array })._bytes = raw.bytes;
    res.url = req.url;
    return Promise.resolve(res);
  } catch (e) {
    if (e instanceof HttpError && e.timedOut) {
      return Promise.reject(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    }
    const msg =
      e !== null && typeof e === "object" && typeof (e as Error).message === "string"
        ? (e as Error).message
        : String(e);
    const err = new TypeError(`fetch failed: ${msg}`);
    (err as { cause?: unknown }).cause = e;
    return Promise.reject(err);
  }
}

tag(Headers, "Headers");
tag(Request, "Request");
tag(Response, "Response");
defineGlobal("Headers", Headers);
defineGlobal("Request", Request);
defineGlobal("Response", Response);
defineGlobal("fetch", fetch);
