// s3://bucket/key -> a signed HTTP GET, and an S3 response -> bytes or a clear error.
// No I/O here: the plugin entry sends the request with Http.request, tests with fetch.
import { type Credentials, signV4 } from "./sigv4.js";

/** Where and how to reach S3; every field has a default (see settingsFrom). */
export interface S3Settings {
  /** AWS region; default AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1. */
  region: string;
  /** Endpoint URL (e.g. http://127.0.0.1:4568 for an S3-compatible server); default AWS. */
  endpoint: string | undefined;
  /** Path-style URLs (endpoint/bucket/key); default true with a custom endpoint, else false. */
  forcePathStyle: boolean;
  /** Credentials; absent = an anonymous (unsigned) request, which works for public objects. */
  credentials: Credentials | undefined;
}

/** A request ready to send. */
export interface HttpGet {
  method: "GET";
  url: string;
  headers: Record<string, string>;
}

/** A failure the user can act on; `hint` says what to try next. */
export class S3Error extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly status?: number,
  ) {
    super(hint ? `${message} (${hint})` : message);
    this.name = "S3Error";
  }
}

/** Reads settings from plugin config (runtimeConfig.config) and the allowed environment. */
export function settingsFrom(
  config: (key: string) => string | null | undefined,
  env: (name: string) => string | null | undefined,
): S3Settings {
  const pick = (...vals: (string | null | undefined)[]): string | undefined =>
    vals.find((v) => v != null && v !== "") ?? undefined;
  const endpoint = pick(config("endpoint"), env("AWS_ENDPOINT_URL_S3"), env("AWS_ENDPOINT_URL"));
  const pathStyle = pick(config("forcePathStyle"));
  const accessKeyId = pick(env("AWS_ACCESS_KEY_ID"), config("accessKeyId"));
  const secretAccessKey = pick(env("AWS_SECRET_ACCESS_KEY"), config("secretAccessKey"));
  return {
    region: pick(config("region"), env("AWS_REGION"), env("AWS_DEFAULT_REGION")) ?? "us-east-1",
    endpoint,
    forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle === "true",
    credentials:
      accessKeyId && secretAccessKey
        ? {
            accessKeyId,
            secretAccessKey,
            sessionToken: pick(env("AWS_SESSION_TOKEN"), config("sessionToken")),
          }
        : undefined,
  };
}

/** Splits `s3://bucket/key/parts?versionId=...` into bucket, key and query. */
export function parseS3Url(href: string): { bucket: string; key: string; query: string } {
  const m = /^s3:\/\/([^/?#]+)\/([^?#]+)(\?[^#]*)?$/.exec(href);
  if (!m?.[1] || !m[2]) {
    throw new S3Error(
      `${href}: not an s3://bucket/key URL`,
      "write it as s3://<bucket>/<key>, e.g. s3://charts/web-1.0.0.tgz",
    );
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1])) {
    throw new S3Error(
      `${href}: "${m[1]}" is not a valid S3 bucket name`,
      "bucket names are 3-63 lower-case letters, digits, dots and dashes",
    );
  }
  const query = m[3] ?? "";
  if (query && !/^\?versionId=[^&]+$/.test(query)) {
    throw new S3Error(`${href}: unsupported query "${query}"`, "only ?versionId=<id> is supported");
  }
  return { bucket: m[1], key: decodeURIComponent(m[2]), query };
}

/** Path of an object key in a URL: each segment percent-encoded, slashes kept. */
function keyPath(key: string): string {
  return key
    .split("/")
    .map((s) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join("/");
}

/** Builds the (signed, when there are credentials) GET for an s3:// URL. */
export async function buildGet(href: string, settings: S3Settings, now: Date): Promise<HttpGet> {
  const { bucket, key, query } = parseS3Url(href);
  // Virtual-hosted style cannot carry bucket names with dots over TLS; use path style for them.
  const pathStyle = settings.forcePathStyle || bucket.includes(".");
  const base = settings.endpoint
    ? new URL(settings.endpoint)
    : new URL(`https://s3.${settings.region}.amazonaws.com`);
  const host = pathStyle ? base.host : `${bucket}.${base.host}`;
  const prefix = base.pathname.replace(/\/$/, "");
  const path = pathStyle ? `${prefix}/${bucket}/${keyPath(key)}` : `${prefix}/${keyPath(key)}`;
  const url = `${base.protocol}//${host}${path}${query}`;
  if (!settings.credentials) return { method: "GET", url, headers: {} };
  const signed = await signV4({
    method: "GET",
    url,
    region: settings.region,
    service: "s3",
    credentials: settings.credentials,
    date: now,
  });
  return { method: "GET", url, headers: signed.headers };
}

function xmlTag(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** Turns an S3 response into the object's bytes, or throws an S3Error explaining the failure. */
export function interpretResponse(
  href: string,
  status: number,
  body: Uint8Array,
  settings: S3Settings,
): Uint8Array {
  if (status >= 200 && status < 300) return body;
  const xml = new TextDecoder().decode(body.subarray(0, 4096));
  const code = xmlTag(xml, "Code") ?? `HTTP ${status}`;
  const message = xmlTag(xml, "Message") ?? "";
  const what = `${href}: ${code}${message ? `: ${message}` : ""}`;
  const hints: Record<string, string> = {
    NoSuchKey: "check the key; list the bucket with your S3 tools",
    NoSuchBucket: "check the bucket name, and the endpoint/region in the plugin config",
    AccessDenied: settings.credentials
      ? "the credentials lack s3:GetObject on this key"
      : "no credentials were available: allow AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in runtimeConfig.env",
    SignatureDoesNotMatch: "the secret key is wrong, or the region does not match the bucket's",
    InvalidAccessKeyId: "the access key id is unknown to this endpoint",
    ExpiredToken: "the session token expired; refresh AWS_SESSION_TOKEN",
    PermanentRedirect: `the bucket is in another region${xmlTag(xml, "Endpoint") ? ` (endpoint ${xmlTag(xml, "Endpoint")})` : ""}; set region in the plugin config or AWS_REGION`,
    AuthorizationHeaderMalformed: `the region is wrong${xmlTag(xml, "Region") ? `: the bucket is in ${xmlTag(xml, "Region")}` : ""}`,
  };
  throw new S3Error(what, hints[code] ?? "", status);
}
