// defineGetter: getter/v1 messages; the handler returns the fetched bytes, the helper base64s them.
import type { GetterInput } from "@capstan/manifest/generated/getter.v1.input";
import type { GetterOutput } from "@capstan/manifest/generated/getter.v1.output";
import { type ExportResult, isPlainObject, makeExport } from "./run-export.js";

/** The getter input the handler receives (`options` is always an object). */
export type GetterRequest = GetterInput;

/** What a getter handler may return: bytes, text (UTF-8) or the output message itself. */
export type GetterResult = Uint8Array | ArrayBuffer | ArrayBufferView | string | GetterOutput;

/** A getter handler. */
export type GetterHandler = (input: GetterRequest) => GetterResult | Promise<GetterResult>;

interface HostB64 {
  arrayBufferToBase64(b: ArrayBuffer | ArrayBufferView): string;
}

function parse(raw: unknown): GetterRequest {
  if (!isPlainObject(raw)) throw new TypeError("getter/v1 input must be a JSON object");
  if (typeof raw.href !== "string") throw new TypeError('getter/v1 input field "href" must be a string');
  const protocol = typeof raw.protocol === "string" ? raw.protocol : (/^([^:]+):/.exec(raw.href)?.[1] ?? "");
  const options = isPlainObject(raw.options) ? raw.options : {};
  return { ...(raw as object), href: raw.href, protocol, options } as GetterRequest;
}

function finish(r: GetterResult): GetterOutput {
  const host = (globalThis as unknown as { Host: HostB64 }).Host;
  if (typeof r === "string") return { data: host.arrayBufferToBase64(new TextEncoder().encode(r)) };
  if (
    r instanceof ArrayBuffer ||
    ArrayBuffer.isView(r) ||
    Object.prototype.toString.call(r) === "[object ArrayBuffer]"
  ) {
    return { data: host.arrayBufferToBase64(r as ArrayBuffer) };
  }
  if (isPlainObject(r) && typeof r.data === "string") return { data: r.data };
  throw new TypeError(
    "defineGetter: the handler must return bytes (Uint8Array/ArrayBuffer), a string, or {data: base64}",
  );
}

/**
 * Defines a getter/v1 plugin. Export the result as `helm_plugin_main`:
 * `export const helm_plugin_main = defineGetter(({ href }) => fetchBytes(href))`.
 */
export function defineGetter(handler: GetterHandler): () => ExportResult {
  return makeExport("getter/v1", parse, handler, finish);
}
