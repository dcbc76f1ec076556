// SigV4 against AWS's published examples. (The hashing is crypto.subtle: Node's here, the
// engine's C in a plugin, tested against node:crypto in packages/compiler/test/conformance/native.test.ts.)
import { describe, expect, test } from "@jest/globals";
import { sha256, toHex, utf8 } from "../src/core/hash.js";
import { amzDate, signingKey, signV4, uriEncode } from "../src/core/sigv4.js";

describe("SigV4, AWS's published examples", () => {
  // General reference, "Create a canonical request" / "Calculate the signature": IAM ListUsers.
  test("IAM GET ListUsers (20150830T123600Z, AKIDEXAMPLE)", async () => {
    const r = await signV4({
      method: "GET",
      url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
      region: "us-east-1",
      service: "iam",
      credentials: {
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      },
      date: new Date("2015-08-30T12:36:00Z"),
    });
    expect(r.canonicalRequest).toBe(
      [
        "GET",
        "/",
        "Action=ListUsers&Version=2010-05-08",
        "content-type:application/x-www-form-urlencoded; charset=utf-8",
        "host:iam.amazonaws.com",
        "x-amz-date:20150830T123600Z",
        "",
        "content-type;host;x-amz-date",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ].join("\n"),
    );
    expect(toHex(await sha256(utf8(r.canonicalRequest)))).toBe(
      "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
    );
    expect(
      toHex(await signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")),
    ).toBe("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    expect(r.signature).toBe("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    expect(r.headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
  });

  // S3 API reference, "Signature calculations for the Authorization header": GET Object.
  test("S3 GET Object with Range (20130524T000000Z, AKIAIOSFODNN7EXAMPLE)", async () => {
    const r = await signV4({
      method: "GET",
      url: "https://examplebucket.s3.amazonaws.com/test.txt",
      headers: { Range: "bytes=0-9" },
      region: "us-east-1",
      service: "s3",
      credentials: {
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      },
      date: new Date("2013-05-24T00:00:00Z"),
    });
    expect(toHex(await sha256(utf8(r.canonicalRequest)))).toBe(
      "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
    );
    expect(r.signature).toBe("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    expect(r.headers.authorization).toContain("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,");
  });

  test("session tokens are signed; keys with spaces and unicode are encoded once for S3", async () => {
    const r = await signV4({
      method: "GET",
      url: "https://b.s3.amazonaws.com/dir/a%20b%C3%A9.tgz",
      region: "eu-west-1",
      service: "s3",
      credentials: { accessKeyId: "A", secretAccessKey: "S", sessionToken: "TOKEN" },
      date: new Date("2026-01-01T00:00:00Z"),
    });
    expect(r.canonicalRequest.split("\n")[1]).toBe("/dir/a%20b%C3%A9.tgz");
    expect(r.headers["x-amz-security-token"]).toBe("TOKEN");
    expect(r.headers.authorization).toContain("x-amz-security-token");
  });

  test("helpers", () => {
    expect(amzDate(new Date("2015-08-30T12:36:00.123Z"))).toBe("20150830T123600Z");
    expect(uriEncode("a b/c~*")).toBe("a%20b%2Fc~%2A");
    expect(uriEncode("a b/c", true)).toBe("a%20b/c");
  });
});
