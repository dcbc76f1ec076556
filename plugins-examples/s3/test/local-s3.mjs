#!/usr/bin/env node
// A local S3-compatible server for tests and the demo, on 127.0.0.1 (random ports): s3rver
// stores objects, and a small front proxy checks every request's SigV4 signature with AWS's
// own signer (@smithy/signature-v4), because s3rver 3.x accepts any V4 signature. Unsigned
// requests get AccessDenied, like a private bucket. Credentials: S3RVER / S3RVER.
// GET /__stats on the proxy returns {verified, refused}.
// Run as a program (`node local-s3.mjs bucket... [--put bucket/key=file]...`) it stores the
// --put files, prints {"endpoint": ...} on one line and serves until stdin closes: plugins call
// HTTP synchronously, so the server must live in another process than the host running them.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import S3rver from "s3rver";

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const messages = {
  AccessDenied: [403, "Access Denied"],
  AuthorizationHeaderMalformed: [400, "The authorization header is malformed"],
  InvalidAccessKeyId: [403, "The AWS Access Key Id you provided does not exist in our records."],
  SignatureDoesNotMatch: [
    403,
    "The request signature we calculated does not match the signature you provided.",
  ],
  XAmzContentSHA256Mismatch: [
    400,
    "The provided x-amz-content-sha256 header does not match what was computed.",
  ],
};

function s3Error(res, code) {
  const [status, message] = messages[code] ?? [403, code];
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

/** Recomputes the request's signature with the official signer; null when it matches. */
async function checkSignature(req, body) {
  const auth = req.headers.authorization;
  if (!auth) return "AccessDenied";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return "AuthorizationHeaderMalformed";
  const [, keyId, , region, signedHeaders, signature] = m;
  if (keyId !== S3RVER_CREDENTIALS.accessKeyId) return "InvalidAccessKeyId";
  const stamp = String(req.headers["x-amz-date"] ?? "");
  const date = new Date(
    stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  if (Number.isNaN(date.getTime())) return "AccessDenied";
  const declared = String(req.headers["x-amz-content-sha256"] ?? "");
  if (declared !== "UNSIGNED-PAYLOAD" && declared !== createHash("sha256").update(body).digest("hex")) {
    return "XAmzContentSHA256Mismatch";
  }
  const url = new URL(req.url ?? "/", "http://x");
  const headers = {};
  for (const name of signedHeaders.split(";")) headers[name] = String(req.headers[name] ?? "");
  const query = Object.fromEntries(url.searchParams);
  const signer = new SignatureV4({
    credentials: S3RVER_CREDENTIALS,
    region,
    service: "s3",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method ?? "GET",
      protocol: "http:",
      hostname: "127.0.0.1",
      path: url.pathname,
      query,
      headers,
    },
    { signingDate: date },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return expected === signature ? null : "SignatureDoesNotMatch";
}

/** Starts s3rver plus the verifying proxy in this process. */
export async function startLocalS3(buckets) {
  const dir = mkdtempSync(join(tmpdir(), "capstan-s3rver-"));
  const backend = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const info = await backend.run();
  const backendUrl = `http://127.0.0.1:${info.port}`;
  const stats = { verified: 0, refused: 0 };
  const proxy = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        if (req.url === "/__stats") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(stats));
          return;
        }
        const body = Buffer.concat(chunks);
        const problem = await checkSignature(req, body);
        if (problem) {
          stats.refused++;
          s3Error(res, problem);
          return;
        }
        stats.verified++;
        const headers = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === "string" && k !== "host") headers[k] = v;
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
        res.writeHead(500);
        res.end(String(e));
      }
    });
  });
  // The test process keeps its fetch connection alive across an inline plugin call, which blocks
  // its event loop for seconds; with Node's default 5 s idle close, the next request met a socket
  // the server had just closed ("other side closed").
  proxy.keepAliveTimeout = 120_000;
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${proxy.address().port}`,
    backend: backendUrl,
    stats,
    async stop() {
      await new Promise((resolve) => proxy.close(() => resolve()));
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const puts = [];
  const buckets = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--put") puts.push(args[++i]);
    else buckets.push(args[i]);
  }
  const server = await startLocalS3(buckets);
  for (const spec of puts) {
    // Seeds go straight to s3rver (behind the proxy), which takes unsigned uploads.
    const [key, file] = spec.split("=");
    const res = await fetch(`${server.backend}/${key}`, { method: "PUT", body: readFileSync(file) });
    if (!res.ok) throw new Error(`local-s3: seeding ${key}: ${res.status}`);
  }
  process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
  process.on("SIGTERM", stop);
}
