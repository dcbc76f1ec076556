// Conformance: Host bytes/strings (binary safe, 10 MB), Config, Var persistence, Http (allowed
// and denied hosts, binary bodies), fetch, console levels, through both hosts.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  type Built,
  buildFixture,
  cleanup,
  hostCall,
  hostRuntime,
  sdkCall,
  sdkPlugin,
  startServer,
} from "./support.js";

let b: Built;
let server: { base: string; close: () => void };
let base = "";

beforeAll(async () => {
  b = await buildFixture("io");
  server = await startServer();
  base = server.base;
});

afterAll(() => {
  cleanup(b);
  server.close();
});

const big = new Uint8Array(10 * 1024 * 1024).map((_, i) => (i * 131 + (i >> 8)) & 255);
const text = "héllo wörld 😀 — 日本語";

describe("Host input/output", () => {
  test("ExtismRuntime: bytes (all values, 10 MB) and strings round-trip", async () => {
    // A deadline no loaded machine misses: this is about bytes, not time (jest's net stays).
    const rt = await hostRuntime(b, { timeoutMs: 600_000 });
    const small = new Uint8Array(256).map((_, i) => i);
    const r1 = await hostCall(rt, "echoBytes", small);
    expect(r1.ok && Array.from(r1.bytes)).toEqual(Array.from(small));
    const r2 = await hostCall(rt, "echoBytes", big);
    expect(r2.ok && r2.bytes.length).toBe(big.length);
    expect(r2.ok && Buffer.compare(Buffer.from(r2.bytes), Buffer.from(big))).toBe(0);
    expect(await hostCall(rt, "echoString", text)).toMatchObject({ ok: true, text });
    const r3 = await hostCall(rt, "echoView", new Uint8Array([9, 1, 2, 3, 9]));
    expect(r3.ok && Array.from(r3.bytes)).toEqual([1, 2, 3]);
    const empty = await hostCall(rt, "echoBytes", new Uint8Array());
    expect(empty.ok && empty.bytes.length).toBe(0);
  });
  test("@extism/extism: bytes (10 MB) and strings round-trip", async () => {
    const p = await sdkPlugin(b);
    const r = await sdkCall(p, "echoBytes", big);
    expect(r.ok && Buffer.compare(Buffer.from(r.bytes), Buffer.from(big))).toBe(0);
    expect(await sdkCall(p, "echoString", text)).toMatchObject({ ok: true, text });
    const big2 = "x😀".repeat(100_000);
    const r2 = await sdkCall(p, "echoString", big2);
    expect(r2.ok && r2.text === big2).toBe(true);
    await p.close();
  });
});

describe("Config and Var", () => {
  test("Config.get through both hosts", async () => {
    const keys = JSON.stringify(["region", "utf8", "missing"]);
    const config = { region: "eu-west-1", utf8: "ünï 😀" };
    const want = JSON.stringify(["eu-west-1", "ünï 😀", null]);
    const rt = await hostRuntime(b, { config });
    expect(await hostCall(rt, "config", keys)).toMatchObject({ ok: true, text: want });
    const p = await sdkPlugin(b, { config });
    expect(await sdkCall(p, "config", keys)).toMatchObject({ ok: true, text: want });
    await p.close();
  });
  test("Var persists across calls (strings and bytes) in both hosts", async () => {
    const rt = await hostRuntime(b);
    await hostCall(rt, "counter");
    await hostCall(rt, "counter");
    expect(await hostCall(rt, "counter")).toMatchObject({
      ok: true,
      text: JSON.stringify({ n: 3, bytes: [250, 250, 250] }),
    });
    const p = await sdkPlugin(b);
    await sdkCall(p, "counter");
    expect(await sdkCall(p, "counter")).toMatchObject({
      ok: true,
      text: JSON.stringify({ n: 2, bytes: [250, 250] }),
    });
    await p.close();
  });
});

describe("Http and fetch", () => {
  const binary = new TextDecoder().decode(new Uint8Array([0, 1, 128, 255, 0]));
  test("ExtismRuntime: allowed host, binary request and response bodies, status and headers", async () => {
    const rt = await hostRuntime(b, { allowedHosts: ["127.0.0.1"] });
    const r = await hostCall(
      rt,
      "http",
      JSON.stringify({
        url: `${base}/binary`,
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        bodyBytes: [0, 1, 2, 253, 254, 255],
      }),
    );
    expect(r.ok && JSON.parse(r.text)).toEqual({
      status: 200,
      body: binary,
      bytes: [0, 1, 128, 255, 0],
      type: "application/octet-stream",
      seen: {
        method: "POST",
        url: "/binary",
        body: [0, 1, 2, 253, 254, 255],
        type: "application/octet-stream",
      },
    });
    const nf = await hostCall(rt, "http", JSON.stringify({ url: `${base}/missing` }));
    expect(nf.ok && JSON.parse(nf.text)).toMatchObject({
      status: 404,
      body: "nope: é",
      seen: { method: "GET" },
    });
    const f = await hostCall(rt, "fetchJson", JSON.stringify({ url: `${base}/json` }));
    expect(f.ok && JSON.parse(f.text)).toMatchObject({
      status: 201,
      ok: true,
      json: { got: { hello: "wörld" } },
      seen: { method: "POST", type: "application/json" },
    });
  });
  test("ExtismRuntime: a host outside allowedHosts is refused and the error reaches the plugin", async () => {
    const rt = await hostRuntime(b, { allowedHosts: ["example.com"] });
    const r = await hostCall(rt, "http", JSON.stringify({ url: `${base}/binary` }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/127\.0\.0\.1|not allowed|allowedHosts/i);
    const none = await hostRuntime(b);
    expect((await hostCall(none, "http", JSON.stringify({ url: `${base}/binary` }))).ok).toBe(false);
  });
  test("@extism/extism (worker): allowed host with binary bodies; denied host fails", async () => {
    const p = await sdkPlugin(b, { allowedHosts: ["127.0.0.1"], runInWorker: true });
    const r = await sdkCall(
      p,
      "http",
      JSON.stringify({ url: `${base}/binary`, method: "PUT", bodyBytes: [255, 0, 7] }),
    );
    expect(r.ok && JSON.parse(r.text)).toMatchObject({
      status: 200,
      bytes: [0, 1, 128, 255, 0],
      seen: { method: "PUT", body: [255, 0, 7] },
    });
    await p.close();
    const d = await sdkPlugin(b, { allowedHosts: ["example.com"], runInWorker: true });
    expect((await sdkCall(d, "http", JSON.stringify({ url: `${base}/binary` }))).ok).toBe(false);
    await d.close();
  });
});

describe("console", () => {
  test("every method reaches the host log at its level (both hosts)", async () => {
    const logs: string[] = [];
    const rt = await hostRuntime(b, {}, logs);
    expect((await hostCall(rt, "logs")).ok).toBe(true);
    expect(logs).toEqual([
      "info: via log",
      "info: via info",
      "warn: via warn",
      "error: via error",
      "debug: via debug",
      "trace: via trace",
      "info: obj { a: [ 1, 'b' ] }",
    ]);
    const sdkLogs: string[] = [];
    const p = await sdkPlugin(b, { logs: sdkLogs });
    await sdkCall(p, "logs");
    expect(sdkLogs).toEqual(
      expect.arrayContaining([
        "info: via log",
        "warn: via warn",
        "error: via error",
        "debug: via debug",
        "trace: via trace",
      ]),
    );
    await p.close();
  });
  test("the host's log level filters lines before they are formatted", async () => {
    const logs: string[] = [];
    const rt = await hostRuntime(b, {}, logs, { logLevel: "warn" });
    await hostCall(rt, "logs");
    expect(logs).toEqual(["warn: via warn", "error: via error"]);
  });
});

describe("strings", () => {
  test("lone surrogates become U+FFFD in output, vars and memory blocks (both hosts)", async () => {
    const want = "a\ufffdb|a\ufffdb|a\ufffdb|5";
    const rt = await hostRuntime(b);
    expect(await hostCall(rt, "surrogates")).toMatchObject({ ok: true, text: want });
    const p = await sdkPlugin(b);
    expect(await sdkCall(p, "surrogates")).toMatchObject({ ok: true, text: want });
    await p.close();
  });
});

describe("lazy globals", () => {
  test("a family that was not preloaded is evaluated at call time, in every fresh instance; one nothing names is left out", async () => {
    const rt = await hostRuntime(b);
    const dropped = "ReferenceError: Buffer is not in this plugin";
    for (let i = 0; i < 2; i++) {
      expect(await hostCall(rt, "lazyUse", "https://Example.com:8443/x")).toMatchObject({
        ok: true,
        text: `example.com|${dropped}`,
      });
    }
    const p = await sdkPlugin(b);
    await sdkCall(p, "lazyUse", "https://a.b/");
    expect(await sdkCall(p, "lazyUse", "https://c.d/")).toMatchObject({ ok: true, text: `c.d|${dropped}` });
    await p.close();
  });
  test("the compiler preloads the lazy families the bundle mentions; the others stay lazy", async () => {
    const rt = await hostRuntime(b);
    expect(await hostCall(rt, "lazyState")).toMatchObject({
      ok: true,
      text: JSON.stringify({ fetch: "loaded", URL: "lazy", Buffer: "lazy" }),
    });
  });
});
