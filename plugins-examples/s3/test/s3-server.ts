// A local S3-compatible server for tests and the demo, on 127.0.0.1 (random ports): s3rver
// stores objects, and a small front proxy checks every request's SigV4 signature with AWS's
// own signer (@smithy/signature-v4), because s3rver 3.x accepts any V4 signature. Unsigned
// requests get AccessDenied, like a private bucket. Credentials: S3RVER / S3RVER.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import S3rver from "s3rver";
import { sha256, toHex } from "../src/core/sha256.js";
import { signV4 } from "../src/core/sigv4.js";

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** A running server: its endpoint URL, a signed upload helper, counters, and stop(). */
export interface LocalS3 {
  endpoint: string;
  put(bucket: string, key: string, body: Uint8Array): Promise<void>;
  /** Requests whose signature the proxy checked and accepted / refused. */
  stats: { verified: number; refused: number };
  stop(): Promise<void>;
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/** Recomputes the request's signature with the official signer; returns null when it matches. */
async function checkSignature(req: IncomingMessage, body: Buffer): Promise<string | null> {
  const auth = req.headers.authorization;
  if (!auth) return "AccessDenied";
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return "AuthorizationHeaderMalformed";
  const [, keyId, , region, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string];
  if (keyId !== S3RVER_CREDENTIALS.accessKeyId) return "InvalidAccessKeyId";
  const stamp = String(req.headers["x-amz-date"] ?? "");
  const date = new Date(stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
  if (Number.isNaN(date.getTime())) return "AccessDenied";
  const declared = String(req.headers["x-amz-content-sha256"] ?? "");
  if (declared !== "UNSIGNED-PAYLOAD" && declared !== createHashHex(body)) return "XAmzContentSHA256Mismatch";
  const url = new URL(req.url ?? "/", "http://x");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) headers[name] = String(req.headers[name] ?? "");
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signer = new SignatureV4({
    credentials: S3RVER_CREDENTIALS,
    region,
    service: "s3",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    { method: req.method ?? "GET", protocol: "http:", hostname: "127.0.0.1", path: url.pathname, query, headers },
    { signingDate: date },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return expected === signature ? null : "SignatureDoesNotMatch";
}

function createHashHex(body: Buffer): string {
  return toHex(sha256(new Uint8Array(body)));
}

const messages: Record<string, [number, string]> = {
  AccessDenied: [403, "Access Denied"],
  AuthorizationHeaderMalformed: [400, "The authorization header is malformed"],
  InvalidAccessKeyId: [403, "The AWS Access Key Id you provided does not exist in our records."],
  SignatureDoesNotMatch: [403, "The request signature we calculated does not match the signature you provided."],
  XAmzContentSHA256Mismatch: [400, "The provided x-amz-content-sha256 header does not match what was computed."],
};

/** Starts s3rver plus the verifying proxy, with the given buckets. */
export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  const dir = mkdtempSync(join(tmpdir(), "capstan-s3rver-"));
  const backend = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const info = (await backend.run()) as { port: number };
  const backendUrl = `http://127.0.0.1:${info.port}`;
  const stats = { verified: 0, refused: 0 };
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        const body = Buffer.concat(chunks);
        const problem = await checkSignature(req, body);
        if (problem) {
          stats.refused++;
          const [status, message] = messages[problem] ?? [403, problem];
          s3Error(res, status, problem, message);
          return;
        }
        stats.verified++;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host") headers[k] = v;
        const upstream = await fetch(`${backendUrl}${req.url}`, {
          method: req.method,
          headers,
          body: body.length > 0 ? body : undefined,
        });
        const out = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, {
          "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
          "content-length": String(out.length),
        });
        res.end(out);
      } catch (e) {
        s3Error(res, 500, "InternalError", String(e));
      }
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    endpoint,
    stats,
    async put(bucket, key, body) {
      const url = `${endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
      const { headers } = signV4({
        method: "PUT",
        url,
        region: "us-east-1",
        service: "s3",
        credentials: S3RVER_CREDENTIALS,
        date: new Date(),
        payloadHash: toHex(sha256(body)),
      });
      delete headers.host;
      const res = await fetch(url, { method: "PUT", headers, body });
      if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
    },
    async stop() {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
