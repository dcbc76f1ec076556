// Conformance: exceptions and rejected promises carry `Name: message` and the TS file:line;
// infinite loops stop at the timeout, deep recursion and memory exhaustion give clean errors,
// and the next call on the same plugin works (both hosts).
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type Built, buildFixture, cleanup, hostCall, hostRuntime, sdkCall, sdkPlugin } from "./support.js";

let b: Built;
beforeAll(async () => {
  b = await buildFixture("errors", "index.ts");
});
afterAll(() => cleanup(b));

describe("exceptions", () => {
  test("a throw reports name, message and the TS line (both hosts); the next call works", async () => {
    const p = await sdkPlugin(b);
    const r = await sdkCall(p, "throws");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('Error: chart "nginx" is invalid');
    expect(!r.ok && r.error).toMatch(/fail\.ts:3:\d+/);
    expect(await sdkCall(p, "ok", "after")).toMatchObject({ ok: true, text: "ok after" });
    await p.close();
    const rt = await hostRuntime(b);
    const h = await hostCall(rt, "throws");
    expect(!h.ok && h.error).toMatch(/chart "nginx" is invalid[\s\S]*fail\.ts:3/);
    expect(await hostCall(rt, "ok", "again")).toMatchObject({ ok: true, text: "ok again" });
  });
  test("a rejected promise from an async export is an error, never a silent 0", async () => {
    const p = await sdkPlugin(b);
    const r = await sdkCall(p, "rejects");
    expect(!r.ok && r.error).toContain("TypeError: cannot load redis");
    expect(!r.ok && r.error).toMatch(/fail\.ts:8:\d+/);
    await p.close();
    const rt = await hostRuntime(b);
    const h = await hostCall(rt, "rejects");
    expect(!h.ok && h.error).toMatch(/TypeError: cannot load redis[\s\S]*fail\.ts:8/);
  });
  test("engine TypeErrors and non-zero returns fail the call", async () => {
    const rt = await hostRuntime(b);
    const r = await hostCall(rt, "typeError");
    expect(!r.ok && r.error).toMatch(/TypeError/);
    expect((await hostCall(rt, "nonzero")).ok).toBe(false);
  });
});

describe("limits", () => {
  test("an infinite loop is stopped by the timeout and the next call works (both hosts)", async () => {
    const p = await sdkPlugin(b, { config: { "capstan.timeout_ms": "300" } });
    const r = await sdkCall(p, "loop");
    expect(!r.ok && r.error).toMatch(/interrupted|timeout/i);
    expect(await sdkCall(p, "ok", "x")).toMatchObject({ ok: true, text: "ok x" });
    await p.close();
    const rt = await hostRuntime(b, { timeoutMs: 400 });
    const h = await hostCall(rt, "loop");
    expect(!h.ok && h.error).toMatch(/interrupted|timeout|did not finish within 400 ms/i);
    expect(await hostCall(rt, "ok", "y")).toMatchObject({ ok: true, text: "ok y" });
  });
  test("deep recursion gives a RangeError-like error and the next call works", async () => {
    const p = await sdkPlugin(b);
    const r = await sdkCall(p, "recurse");
    expect(!r.ok && r.error).toMatch(/RangeError|stack/i);
    expect(await sdkCall(p, "ok", "z")).toMatchObject({ ok: true, text: "ok z" });
    await p.close();
    const rt = await hostRuntime(b);
    const h = await hostCall(rt, "recurse");
    expect(!h.ok && h.error).toMatch(/RangeError|stack/i);
    expect(await hostCall(rt, "ok", "w")).toMatchObject({ ok: true, text: "ok w" });
  });
  test("allocating past the memory limit is a clean error and the next call works", async () => {
    const p = await sdkPlugin(b, { config: { "capstan.memory_mb": "48" } });
    const r = await sdkCall(p, "hog");
    expect(!r.ok && r.error).toMatch(/out of memory/i);
    expect(await sdkCall(p, "ok", "m")).toMatchObject({ ok: true, text: "ok m" });
    await p.close();
    const rt = await hostRuntime(b, { maxPages: 1024 });
    const h = await hostCall(rt, "hog");
    expect(!h.ok && h.error).toMatch(/memory/i);
    expect(await hostCall(rt, "ok", "n")).toMatchObject({ ok: true, text: "ok n" });
  });
});
