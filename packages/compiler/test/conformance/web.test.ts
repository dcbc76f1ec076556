// Conformance: TextEncoder/Decoder, URL, atob/btoa, structuredClone, SHA digests, Buffer,
// Date/performance, randomness across instances of one snapshot and the parity globals, in a
// compiled plugin, compared with Node's own implementations.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  type Built,
  buildFixture,
  cleanup,
  hostCall,
  hostRuntime,
  type SdkPlugin,
  sdkCall,
  sdkPlugin,
} from "./support.js";

let b: Built;
let p: SdkPlugin;

beforeAll(async () => {
  b = await buildFixture("web");
  p = await sdkPlugin(b);
});

afterAll(async () => {
  await p?.close();
  cleanup(b);
});

async function run(name: string, input: unknown = {}): Promise<unknown> {
  const r = await sdkCall(p, name, JSON.stringify(input));
  if (!r.ok) throw new Error(r.error);
  return JSON.parse(r.text);
}

describe("text encoding", () => {
  test("TextEncoder/TextDecoder (invalid UTF-8, fatal, encodeInto) equal Node's", async () => {
    const strings = ["", "héllo", "😀 emoji", "lone \ud800", "日本"];
    const byteArrays = [
      [0x68, 0x69],
      [0xff],
      [0xc0, 0x80],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x9f, 0x98, 0x80],
      [0x61, 0xf0, 0x90, 0x80, 0x62],
      [0xef, 0xbb, 0xbf, 0x41],
    ];
    const want = {
      encoded: strings.map((s) => Array.from(new TextEncoder().encode(s))),
      decoded: byteArrays.map((x) => new TextDecoder().decode(new Uint8Array(x))),
      fatal: byteArrays.map((x) => {
        try {
          return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(x));
        } catch (e) {
          return (e as Error).name;
        }
      }),
      into: strings.map((s) => {
        const d = new Uint8Array(5);
        const r = new TextEncoder().encodeInto(s, d);
        return [r.read, r.written, Array.from(d)];
      }),
    };
    expect(await run("text", { strings, byteArrays })).toEqual(want);
  });
});

describe("URL and base64", () => {
  test("URL parsing equals Node's", async () => {
    const cases: Array<[string, string?]> = [
      ["https://user:pw@Example.COM:443/a/./b/../c?x=1&y=a+b#f"],
      ["../d?q", "http://h/a/b/c"],
      ["http://[::1]:8080/"],
      ["http://0x7f.1/"],
      ["http://münchen.de/ü"],
      ["oci://registry/charts/app"],
      ["mailto:a@b"],
      ["nope"],
      ["file:///etc/hosts"],
    ];
    const want = cases.map(([u, base]) => {
      try {
        const x = new URL(u, base);
        return {
          href: x.href,
          origin: x.origin,
          host: x.host,
          pathname: x.pathname,
          search: x.search,
          hash: x.hash,
          params: [...x.searchParams],
        };
      } catch (e) {
        return (e as Error).name;
      }
    });
    expect(await run("url", cases)).toEqual(want);
  });
  test("atob/btoa equal Node's", async () => {
    const encode = ["", "a", "hello", "\u00ff\u0000"];
    const decode = ["aGVsbG8=", "aGVsbG8", " aG Vs\nbG8= ", "@@", "a"];
    const want = {
      btoa: encode.map((s) => btoa(s)),
      atob: decode.map((s) => {
        try {
          return atob(s);
        } catch (e) {
          return (e as Error).name;
        }
      }),
    };
    expect(await run("base64", { encode, decode })).toEqual(want);
  });
});

describe("structuredClone, digests, Buffer", () => {
  test("structuredClone handles Map, Set, Date, cycles and typed arrays", async () => {
    expect(await run("clone")).toEqual({
      distinct: true,
      cycle: true,
      m: [["k", { v: 1 }]],
      s: [1, "x"],
      d: 1700000000000,
      u8: "[object Uint8Array]1,2,3",
      nested: { a: [1, { b: 2 }] },
    });
  });
  test("SHA-1/256/384/512 digests equal node:crypto", async () => {
    const sizes = [0, 3, 55, 56, 64, 111, 112, 128, 1000, 100_000];
    const algorithms = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
    const want: Record<string, string[]> = {};
    for (const alg of algorithms) {
      want[alg] = sizes.map((n) =>
        createHash(alg.replace("-", "").toLowerCase())
          .update(new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255))
          .digest("hex"),
      );
    }
    expect(await run("digest", { sizes, algorithms })).toEqual(want);
  });
  test("Buffer operations equal Node's", async () => {
    const b0 = Buffer.from("héllo wörld");
    const w = Buffer.alloc(8);
    w.writeUInt32BE(0xdeadbeef, 0);
    w.writeUInt16LE(513, 4);
    expect(await run("buffer")).toEqual({
      hex: b0.toString("hex"),
      b64: b0.toString("base64"),
      fromHex: "hello",
      concat: "ab",
      byteLength: Buffer.byteLength("héllo"),
      slice: b0.subarray(1, 3).toString("hex"),
      compare: -1,
      w: w.toString("hex"),
      r: [0xdeadbeef, 513],
    });
  });
});

describe("time and randomness", () => {
  test("Date reads the host clock at call time (not the snapshot's time)", async () => {
    // The snapshot was taken before this wait, so a clock frozen in it reads earlier than `before`.
    await new Promise((r) => setTimeout(r, 20));
    const before = Date.now();
    const r = (await run("clock")) as { now: number; date: number; iso: string; perf: number };
    const after = Date.now();
    // The plugin reads Date.now(), then new Date(), then the year, in that order.
    expect(r.now).toBeGreaterThanOrEqual(before);
    expect(r.date).toBeGreaterThanOrEqual(r.now);
    expect(r.date).toBeLessThanOrEqual(after);
    // The year of a moment between r.date and after (New Year's Eve may fall in between).
    const year = (t: number) => new Date(t).toISOString().slice(0, 4);
    expect([year(r.date), year(after)]).toContain(r.iso);
    expect(typeof r.perf).toBe("number");
  });
  test("two instances of one snapshot draw distinct random values (both hosts)", async () => {
    const q = await sdkPlugin(b);
    const other = await sdkCall(q, "random", "{}");
    if (!other.ok) throw new Error(other.error);
    const a = JSON.parse(other.text) as { bytes: string; uuid: string; math: number };
    const c = (await run("random")) as { bytes: string; uuid: string; math: number };
    await q.close();
    expect(a.bytes).not.toBe(c.bytes);
    expect(a.uuid).not.toBe(c.uuid);
    expect(a.math).not.toBe(c.math);
    expect(c.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const rt = await hostRuntime(b);
    const h1 = await hostCall(rt, "random", "{}");
    const h2 = await hostCall(rt, "random", "{}");
    expect(h1.ok && h2.ok && JSON.parse(h1.text).math !== JSON.parse(h2.text).math).toBe(true);
    expect(h1.ok && h2.ok && JSON.parse(h1.text).bytes !== JSON.parse(h2.text).bytes).toBe(true);
  });
});

describe("parity globals", () => {
  test("Headers/Response, events, DOMException, URLPattern, microtasks and timers; kernel hidden", async () => {
    expect(await run("misc")).toEqual({
      order: ["micro", "timeout"],
      header: "1, 2",
      res: [201, true, { a: 1 }, "application/json"],
      event: "ping",
      ex: ["AbortError", 20, true],
      pattern: { name: "nginx", version: "1.2.3" },
      globals: [],
      kernelHidden: "undefined",
    });
  });
});
