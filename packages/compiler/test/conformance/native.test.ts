// Conformance of the engine's native data paths in a plugin compiled from TypeScript:
// crypto.subtle digests and HMAC (libmd's C, capstan-hash.c) against node:crypto on seeded
// random inputs, including empty and multi-megabyte ones.
import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type Built, buildFixture, cleanup, type SdkPlugin, sdkCall, sdkPlugin } from "./support.js";

let b: Built;
let p: SdkPlugin;

beforeAll(async () => {
  b = await buildFixture("native", "index.ts");
  p = await sdkPlugin(b);
}, 60_000);

afterAll(async () => {
  await p?.close();
  cleanup(b);
});

/** Seeded xorshift32 bytes: the same inputs on every run. */
function randomBytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

async function call(name: string, input: Uint8Array | string): Promise<unknown> {
  const r = await sdkCall(p, name, input);
  if (!r.ok) throw new Error(r.error);
  return JSON.parse(r.text);
}

function framed(head: object, data: Uint8Array): Uint8Array {
  const h = Buffer.from(`${JSON.stringify(head)}\n`);
  return new Uint8Array(Buffer.concat([h, data]));
}

const ALGS = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
// Block boundaries (55/56/64, 111/112/128), odd sizes and one multi-megabyte input.
const SIZES = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 4099, 65_537, 3 * 1024 * 1024 + 17];

describe("crypto.subtle in C equals node:crypto", () => {
  test.each(ALGS)("digest %s on seeded random inputs", async (alg) => {
    const node = alg.replace("-", "").toLowerCase();
    for (const [i, n] of SIZES.entries()) {
      const data = randomBytes(i + 1, n);
      const got = await call("hash", framed({ op: "digest", alg }, data));
      expect([n, got]).toEqual([n, { hex: createHash(node).update(data).digest("hex") }]);
    }
  });

  test.each(ALGS)("HMAC %s sign/verify with keys shorter, equal to and longer than a block", async (alg) => {
    const node = alg.replace("-", "").toLowerCase();
    const keySizes = [1, 20, 64, 65, 128, 129, 300];
    for (const [i, n] of [0, 3, 64, 1000, 70_001, 2 * 1024 * 1024 + 5].entries()) {
      const key = randomBytes(100 + i, keySizes[i % keySizes.length] as number);
      const data = randomBytes(200 + i, n);
      const got = await call(
        "hash",
        framed({ op: "hmac", alg, key: Buffer.from(key).toString("hex") }, data),
      );
      expect([n, got]).toEqual([
        n,
        { hex: createHmac(node, key).update(data).digest("hex"), verified: true, forged: false },
      ]);
    }
  });
});
