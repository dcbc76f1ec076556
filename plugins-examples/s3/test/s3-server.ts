// Test helper: the local S3 server (local-s3.mjs) in a child process, plus signed uploads.
// A child process because plugins call HTTP synchronously: a server in the test's own
// thread could not answer while the host waits for the plugin.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sha256, toHex } from "../src/core/hash.js";
import { signV4 } from "../src/core/sigv4.js";

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** A running server: its endpoint URL, a signed upload helper, counters, and stop(). */
export interface LocalS3 {
  endpoint: string;
  put(bucket: string, key: string, body: Uint8Array): Promise<void>;
  /** Requests whose signature the proxy checked and accepted / refused. */
  stats(): Promise<{ verified: number; refused: number }>;
  stop(): Promise<void>;
}

/** Starts the server with the given buckets. */
export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "local-s3.mjs");
  const child: ChildProcess = spawn(process.execPath, [script, ...buckets], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`local-s3.mjs exited with ${code}`)));
  });
  const { endpoint } = JSON.parse(first) as { endpoint: string };
  return {
    endpoint,
    async put(bucket, key, body) {
      const url = `${endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
      const { headers } = await signV4({
        method: "PUT",
        url,
        region: "us-east-1",
        service: "s3",
        credentials: S3RVER_CREDENTIALS,
        date: new Date(),
        payloadHash: toHex(await sha256(body)),
      });
      delete headers.host;
      const res = await fetch(url, { method: "PUT", headers, body });
      if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
    },
    async stats() {
      return (await (await fetch(`${endpoint}/__stats`)).json()) as { verified: number; refused: number };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin?.end();
      await exited;
    },
  };
}
