// The getter's core against a real S3-compatible server that checks signatures (s3rver):
// signed GETs succeed, a wrong secret is refused with SignatureDoesNotMatch, errors are clear.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { buildGet, interpretResponse, type S3Settings, settingsFrom } from "../src/core/s3-request.js";
import { type LocalS3, S3RVER_CREDENTIALS, startLocalS3 } from "./s3-server.js";

let s3: LocalS3;
const chart = new Uint8Array(randomBytes(300_000));

beforeAll(async () => {
  s3 = await startLocalS3(["charts"]);
  await s3.put("charts", "stable/web-1.0.0.tgz", chart);
  await s3.put("charts", "dir/with space+plus.txt", new TextEncoder().encode("odd key"));
});
afterAll(async () => {
  await s3?.stop();
});

async function get(href: string, settings: S3Settings): Promise<Uint8Array> {
  const req = await buildGet(href, settings, new Date());
  const headers = { ...req.headers };
  delete headers.host;
  const res = await fetch(req.url, { headers });
  return interpretResponse(href, res.status, new Uint8Array(await res.arrayBuffer()), settings);
}

const settings = (over: Partial<S3Settings> = {}): S3Settings => ({
  region: "us-east-1",
  endpoint: s3.endpoint,
  forcePathStyle: true,
  credentials: S3RVER_CREDENTIALS,
  ...over,
});

describe("s3 getter core against s3rver", () => {
  test("downloads an object byte for byte with a signed GET", async () => {
    const body = await get("s3://charts/stable/web-1.0.0.tgz", settings());
    expect(Buffer.from(body).equals(Buffer.from(chart))).toBe(true);
  });

  test("keys with spaces and plus signs are encoded and signed correctly", async () => {
    const body = await get("s3://charts/dir/with%20space+plus.txt", settings());
    expect(new TextDecoder().decode(body)).toBe("odd key");
  });

  test("a wrong secret is refused by the server's signature check", async () => {
    await expect(
      get(
        "s3://charts/stable/web-1.0.0.tgz",
        settings({ credentials: { accessKeyId: "S3RVER", secretAccessKey: "nope" } }),
      ),
    ).rejects.toThrow(/SignatureDoesNotMatch.*the secret key is wrong/);
  });

  test("every request above went through the independent signature check", async () => {
    const stats = await s3.stats();
    expect(stats.verified).toBeGreaterThanOrEqual(4);
    expect(stats.refused).toBe(1);
  });

  test("an unsigned request is refused like a private bucket, with a hint about credentials", async () => {
    await expect(
      get("s3://charts/stable/web-1.0.0.tgz", settings({ credentials: undefined })),
    ).rejects.toThrow(/AccessDenied.*allow AWS_ACCESS_KEY_ID/);
  });

  test("a missing key says NoSuchKey", async () => {
    await expect(get("s3://charts/missing.tgz", settings())).rejects.toThrow(
      /s3:\/\/charts\/missing.tgz: NoSuchKey/,
    );
  });

  test("settings come from config and the allowed environment", async () => {
    const env: Record<string, string> = {
      AWS_ACCESS_KEY_ID: "AK",
      AWS_SECRET_ACCESS_KEY: "SK",
      AWS_REGION: "eu-west-2",
    };
    const s = settingsFrom(
      (k) => ({ endpoint: s3.endpoint })[k],
      (n) => env[n],
    );
    expect(s).toEqual({
      region: "eu-west-2",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "AK", secretAccessKey: "SK", sessionToken: undefined },
    });
    const aws = settingsFrom(
      () => undefined,
      () => undefined,
    );
    expect(aws).toEqual({
      region: "us-east-1",
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
    });
    expect((await buildGet("s3://my-bucket/a/b.tgz", aws, new Date())).url).toBe(
      "https://my-bucket.s3.us-east-1.amazonaws.com/a/b.tgz",
    );
    expect((await buildGet("s3://my.bucket/a.tgz", aws, new Date())).url).toBe(
      "https://s3.us-east-1.amazonaws.com/my.bucket/a.tgz",
    );
  });

  test("bad URLs are refused with a hint", async () => {
    await expect(buildGet("s3://Bad_Bucket/x", settings(), new Date())).rejects.toThrow(
      /not a valid S3 bucket name/,
    );
    await expect(buildGet("s3://bucket", settings(), new Date())).rejects.toThrow(
      /write it as s3:\/\/<bucket>\/<key>/,
    );
  });
});
