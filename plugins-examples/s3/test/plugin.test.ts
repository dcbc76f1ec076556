// The compiled getter, called the way `capstan pull s3://...` calls it (@capstan/host's
// invokeGetter), against the local S3 server whose proxy checks every SigV4 signature.
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPluginIfStale } from "@capstan/compiler";
import { invokeGetter } from "@capstan/host";
import { type LoadedPlugin, loadManifest } from "@capstan/manifest";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type LocalS3, S3RVER_CREDENTIALS, startLocalS3 } from "./s3-server.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
let plugin: LoadedPlugin;
let s3: LocalS3;
const chart = new Uint8Array(randomBytes(1024 * 1024 + 7));

const env = (over: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "",
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  AWS_REGION: "us-east-1",
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  ...over,
});

beforeAll(async () => {
  [s3] = await Promise.all([startLocalS3(["charts"]), buildPluginIfStale(dir, { skipOpt: true })]);
  plugin = await loadManifest(dir);
  await s3.put("charts", "web-1.0.0.tgz", chart);
}, 120_000);
afterAll(async () => {
  await s3?.stop();
});

describe("s3 getter as Wasm", () => {
  test("downloads 1 MiB byte for byte with a verified signature", async () => {
    const before = (await s3.stats()).verified;
    const bytes = await invokeGetter(plugin, "s3://charts/web-1.0.0.tgz", {}, { env: env() });
    expect(Buffer.from(bytes).equals(Buffer.from(chart))).toBe(true);
    expect((await s3.stats()).verified).toBe(before + 1);
  });

  test("a wrong secret: the server refuses, the error explains", async () => {
    await expect(
      invokeGetter(plugin, "s3://charts/web-1.0.0.tgz", {}, { env: env({ AWS_SECRET_ACCESS_KEY: "wrong" }) }),
    ).rejects.toThrow(/SignatureDoesNotMatch.*the secret key is wrong/);
  });

  test("no credentials in the allowed environment: AccessDenied with a hint", async () => {
    const e = env();
    delete (e as Record<string, string>).AWS_ACCESS_KEY_ID;
    await expect(invokeGetter(plugin, "s3://charts/web-1.0.0.tgz", {}, { env: e })).rejects.toThrow(
      /AccessDenied.*allow AWS_ACCESS_KEY_ID/,
    );
  });

  test("a missing key: NoSuchKey", async () => {
    await expect(invokeGetter(plugin, "s3://charts/nope.tgz", {}, { env: env() })).rejects.toThrow(
      /NoSuchKey/,
    );
  });

  test("a host outside allowedHosts is refused by the sandbox", async () => {
    await expect(
      invokeGetter(
        plugin,
        "s3://charts/web-1.0.0.tgz",
        {},
        { env: env({ AWS_ENDPOINT_URL_S3: s3.endpoint.replace("127.0.0.1", "127.0.0.2") }) },
      ),
    ).rejects.toThrow(/127\.0\.0\.2/);
  });
});
