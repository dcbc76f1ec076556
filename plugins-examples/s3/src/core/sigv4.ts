// AWS Signature Version 4 for header-based auth (docs.aws.amazon.com, "Signature Version 4
// signing process"). Pure: given the request and the clock, it resolves to the headers to
// send (hashing goes through crypto.subtle, native C inside a plugin). S3 differs from other services in one way: the path is URI-encoded once,
// not twice (`doubleEncodePath: false`).
import { hmacSha256, sha256, toHex, utf8 } from "./hash.js";

/** Long-term or temporary AWS credentials. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials (STS); sent as x-amz-security-token. */
  sessionToken?: string | undefined;
}

/** What to sign. Header names are case-insensitive; `host` is taken from the URL when absent. */
export interface SignInput {
  method: string;
  url: string;
  headers?: Record<string, string>;
  region: string;
  service: string;
  credentials: Credentials;
  /** The request time. */
  date: Date;
  /** Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"; default: hash of the empty body. */
  payloadHash?: string;
  /** Add x-amz-content-sha256 (S3 requires it); default true for service s3. */
  contentSha256Header?: boolean;
  /** Encode the path twice (every service but S3); default service !== "s3". */
  doubleEncodePath?: boolean;
}

/** The signature and the intermediate values (exposed for tests and debugging). */
export interface SignResult {
  /** Headers to send: the input headers plus host, x-amz-date, authorization, etc. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX. */
export function uriEncode(s: string, keepSlash = false): string {
  let out = "";
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** `20150830T123600Z` */
export function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function canonicalQuery(search: string): string {
  if (search === "" || search === "?") return "";
  const pairs = search
    .slice(1)
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const i = p.indexOf("=");
      const k = decodeURIComponent((i < 0 ? p : p.slice(0, i)).replace(/\+/g, " "));
      const v = i < 0 ? "" : decodeURIComponent(p.slice(i + 1).replace(/\+/g, " "));
      return [uriEncode(k), uriEncode(v)] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalPath(pathname: string, doubleEncode: boolean): string {
  // URL.pathname is already percent-encoded; decode each segment and encode it the SigV4 way.
  const segments = pathname.split("/").map((seg) => uriEncode(decodeURIComponent(seg)));
  const once = segments.join("/") || "/";
  return doubleEncode ? uriEncode(once, true) : once;
}

/** The signing key: HMAC chain over date, region, service, "aws4_request". */
export async function signingKey(
  secret: string,
  dateStamp: string,
  region: string,
  service: string,
): Promise<Uint8Array> {
  const kDate = await hmacSha256(utf8(`AWS4${secret}`), utf8(dateStamp));
  const kRegion = await hmacSha256(kDate, utf8(region));
  const kService = await hmacSha256(kRegion, utf8(service));
  return hmacSha256(kService, utf8("aws4_request"));
}

/** Signs a request; see SignInput. */
export async function signV4(input: SignInput): Promise<SignResult> {
  const url = new URL(input.url);
  const stamp = amzDate(input.date);
  const day = stamp.slice(0, 8);
  const payloadHash = input.payloadHash ?? EMPTY_SHA256;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  headers.host ??= url.host;
  headers["x-amz-date"] = stamp;
  if (input.contentSha256Header ?? input.service === "s3") headers["x-amz-content-sha256"] = payloadHash;
  if (input.credentials.sessionToken) headers["x-amz-security-token"] = input.credentials.sessionToken;

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names
    .map((n) => `${n}:${(headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(url.pathname, input.doubleEncodePath ?? input.service !== "s3"),
    canonicalQuery(url.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, toHex(await sha256(utf8(canonicalRequest)))].join(
    "\n",
  );
  const signature = toHex(
    await hmacSha256(
      await signingKey(input.credentials.secretAccessKey, day, input.region, input.service),
      utf8(stringToSign),
    ),
  );
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}
