// Compiles the kernel fixture once and exercises every engine-glue feature through
// @extism/extism: exports by name, host imports of each type, errors with TS positions,
// deadline, stack and memory limits, per-instance randomness, real clock.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { compile } from "../src/compile.js";
import { callText, instantiate, moduleShape } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, "fixtures/kernel");
let wasm: Uint8Array;

beforeAll(async () => {
  const r = await compile({
    entry: join(fixture, "index.ts"),
    interfaceFile: join(fixture, "plugin.d.ts"),
    preludeFile: join(fixture, "prelude.js"),
    skipOpt: true,
  });
  wasm = r.wasm;
});

const hostFns = {
  h_i32: (_c: unknown, a: number) => a * 2,
  h_i64: (_c: unknown, a: bigint) => a + 1n,
  h_f32: (_c: unknown, a: number) => a * 2,
  h_f64: (_c: unknown, a: number) => a + 1,
  h_ptr: (_c: unknown, p: bigint) => p + 10n,
  h_mixed: (_c: unknown, a: number, b: bigint, c: number, d: number) => {
    mixed.push([a, String(b), c, d]);
  },
};
const mixed: unknown[] = [];

describe("engine glue through @extism/extism", () => {
  test("imports only the three allowed modules", () => {
    const { importModules, exports } = moduleShape(wasm);
    expect(importModules).toEqual(["extism:host/env", "extism:host/user", "wasi_snapshot_preview1"]);
    expect(exports).not.toContain("_initialize");
    expect(exports).not.toContain("capstan_call");
  });

  test("echo round-trips bytes of every length class", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    for (const n of [0, 1, 7, 8, 9, 1000, 70_001]) {
      const input = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
      const out = await p.call("echo", input);
      expect(out ? new Uint8Array(out.bytes()) : new Uint8Array()).toEqual(input);
    }
    await p.close();
  });

  test("exports are bound by name, not by position", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    expect(await callText(p, "zeta")).toEqual({ ok: true, text: "zeta" });
    expect(await callText(p, "alpha")).toEqual({ ok: true, text: "alpha" });
    await p.close();
  });

  test("host functions of each parameter type", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    const r = await callText(p, "host");
    expect(r.ok).toBe(true);
    const v = JSON.parse((r as { text: string }).text);
    // I64 results within 2^53 come back as numbers.
    expect(v.slice(0, 5)).toEqual([-14, Number((1n << 40n) + 4n), 3, Math.PI + 1, 12355]);
    expect(v[5]).toBeNull();
    expect(mixed).toEqual([[1, "2", 3.5, 4.25]]);
    expect(v[6]).toEqual([
      "h_i32(I32):I32",
      "h_i64(I64):I64",
      "h_f32(F32):F32",
      "h_f64(F64):F64",
      "h_ptr(I64):I64",
      "h_mixed(I32,I64,F32,F64):void",
    ]);
    await p.close();
  });

  test("an uncaught exception is an error naming the TS file:line", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    const r = await callText(p, "fail");
    expect(r.ok).toBe(false);
    const msg = (r as { error: string }).error;
    expect(msg).toContain("Error: failed: boom");
    expect(msg).toMatch(/thrower\.ts:3:\d+/);
    expect(msg).toMatch(/index\.ts:\d+:\d+/);
    expect(await callText(p, "zeta")).toEqual({ ok: true, text: "zeta" });
    await p.close();
  });

  test("a rejected promise is an error, not a silent 0", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    const r = await callText(p, "reject");
    expect(r.ok).toBe(false);
    expect((r as { error: string }).error).toContain("TypeError: rejected on purpose");
    await p.close();
  });

  test("an infinite loop is interrupted at the deadline and the next call works", async () => {
    const p = await instantiate(wasm, { functions: hostFns, config: { "capstan.timeout_ms": "200" } });
    const t0 = performance.now();
    const r = await callText(p, "spin");
    const ms = performance.now() - t0;
    expect(r.ok).toBe(false);
    expect((r as { error: string }).error).toContain("interrupted");
    // Not interrupted early; no upper bound (load makes it late, and a missed deadline
    // would hang into jest's timeout).
    expect(ms).toBeGreaterThanOrEqual(200 * 0.95);
    expect(await callText(p, "zeta")).toEqual({ ok: true, text: "zeta" });
    await p.close();
  });

  test("deep recursion is a clean stack-overflow error and the next call works", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    const r = await callText(p, "recurse");
    expect(r.ok).toBe(false);
    const msg = (r as { error: string }).error;
    expect(msg).toContain("InternalError: stack overflow");
    expect(msg).toMatch(/index\.ts:\d+:\d+/);
    expect(msg).toMatch(/\.\.\. \d+ more frames$/);
    expect(msg.split("\n").length).toBeLessThanOrEqual(42);
    expect(await callText(p, "zeta")).toEqual({ ok: true, text: "zeta" });
    await p.close();
  });

  test("the JS stack limit allows ~130 nested calls by default and follows capstan.stack_kb", async () => {
    const def = await instantiate(wasm, { functions: hostFns });
    const small = await instantiate(wasm, { functions: hostFns, config: { "capstan.stack_kb": "64" } });
    const d = Number(((await callText(def, "depth")) as { text: string }).text);
    const s = Number(((await callText(small, "depth")) as { text: string }).text);
    expect(d).toBeGreaterThan(100);
    expect(s).toBeGreaterThan(30);
    expect(s).toBeLessThan(d / 2);
    await def.close();
    await small.close();
  });

  test("allocating past the memory limit is a clean error and the next call works", async () => {
    const p = await instantiate(wasm, { functions: hostFns, config: { "capstan.memory_mb": "32" } });
    const r = await callText(p, "hog");
    expect(r.ok).toBe(false);
    expect((r as { error: string }).error).toMatch(/out of memory/i);
    expect(await callText(p, "zeta")).toEqual({ ok: true, text: "zeta" });
    await p.close();
  });

  test("two instances of one snapshot draw different Math.random values", async () => {
    const a = await instantiate(wasm, { functions: hostFns });
    const b = await instantiate(wasm, { functions: hostFns });
    const ra = await callText(a, "random");
    const rb = await callText(b, "random");
    expect(ra.ok && rb.ok).toBe(true);
    expect(ra).not.toEqual(rb);
    await a.close();
    await b.close();
  });

  test("Date and now() read the host clock at call time", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    const before = Date.now();
    const r = await callText(p, "now");
    const after = Date.now();
    const v = JSON.parse((r as { text: string }).text) as { date: number; now: number; hr: number };
    // The plugin reads Date.now() then now(): both fall inside [before, after], in that order
    // (now() may carry a fraction of a millisecond that Date.now() drops).
    expect(v.date).toBeGreaterThanOrEqual(before);
    expect(v.now).toBeGreaterThanOrEqual(v.date);
    expect(Math.floor(v.now)).toBeLessThanOrEqual(after);
    expect(v.hr).toBeGreaterThan(0);
    await p.close();
  });

  test("runs in the SDK's worker mode too (smaller native stack)", async () => {
    const p = await instantiate(wasm, { functions: hostFns, worker: true });
    expect(await callText(p, "zeta")).toEqual({ ok: true, text: "zeta" });
    const r = await callText(p, "recurse");
    expect((r as { error: string }).error).toContain("InternalError: stack overflow");
    expect(await callText(p, "alpha")).toEqual({ ok: true, text: "alpha" });
    await p.close();
  });

  test("native UTF-8 encode/decode follow WHATWG TextEncoder/TextDecoder", async () => {
    const p = await instantiate(wasm, { functions: hostFns });
    const bad = Uint8Array.from([
      0x61, 0xf0, 0x9f, 0x98, 0x41, 0xed, 0xa0, 0x80, 0xc0, 0xe2, 0x82, 0xac, 0xf4, 0x90, 0x80, 0x80,
    ]);
    const r = await callText(p, "utf8", bad);
    const v = JSON.parse((r as { text: string }).text) as {
      enc: number[];
      dec: string;
      str: string;
      fatal: string;
    };
    expect(v.enc).toEqual(Array.from(new TextEncoder().encode("a\uD800b\u20AC\uD83D\uDE00\uDC00")));
    expect(v.dec).toBe(new TextDecoder().decode(bad));
    expect(v.str).toBe(new TextDecoder().decode(bad));
    expect(v.fatal).toContain("TypeError");
    await p.close();
  });

  test("kernel memory, config, vars, random bytes and logging", async () => {
    const logs: string[] = [];
    const p = await instantiate(wasm, { functions: hostFns, config: { greeting: "hi" }, logs });
    const r = await callText(p, "kernel");
    expect(r.ok).toBe(true);
    expect(JSON.parse((r as { text: string }).text)).toEqual({
      copy: "hello kernel",
      len: 12,
      config: "hi",
      missing: null,
      v: "var value",
      rnd: 16,
      level: 0,
    });
    expect(logs).toContain("info: info from plugin");
    await p.close();
  });
});

test("the interface fixture declares exports in reverse alphabetical order", () => {
  const text = readFileSync(join(fixture, "plugin.d.ts"), "utf8");
  expect(text.indexOf("zeta")).toBeLessThan(text.indexOf("alpha"));
});
