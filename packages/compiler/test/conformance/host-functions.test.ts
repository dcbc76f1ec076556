// Conformance: host functions with every parameter type (Extism JS SDK), a Capstan registry
// host function (ExtismRuntime), and Memory/MemoryHandle in both hosts.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type Built, buildFixture, cleanup, hostCall, hostRuntime, sdkCall, sdkPlugin } from "./support.js";

let fns: Built;
let reg: Built;
beforeAll(async () => {
  [fns, reg] = await Promise.all([buildFixture("hostfns"), buildFixture("registry")]);
});
afterAll(() => {
  cleanup(fns);
  cleanup(reg);
});

type Ctx = { read(o: bigint): { text(): string } | null; store(s: string): bigint };
const seen: unknown[] = [];
const functions = {
  h_i32: (_c: unknown, a: number) => a * 2,
  h_i64: (_c: unknown, a: bigint) => a + 1n,
  h_f32: (_c: unknown, a: number) => a * 2,
  h_f64: (_c: unknown, a: number) => a * 10,
  h_ptr: (c: Ctx, p: bigint) => c.store(`host got: ${c.read(p)?.text()}`),
  h_mixed: (_c: unknown, a: number, b: bigint, f: number, d: number) =>
    BigInt(a) * b + BigInt(f * 4) + BigInt(d * 4),
  h_void: (c: Ctx, p: bigint) => {
    seen.push(c.read(p)?.text());
  },
};

describe("host functions", () => {
  test("every parameter and result type through Host.getFunctions (@extism/extism)", async () => {
    const p = await sdkPlugin(fns, { functions: functions as never });
    const r = await sdkCall(p, "calls");
    if (!r.ok) throw new Error(r.error);
    expect(JSON.parse(r.text)).toEqual({
      names: ["h_f32", "h_f64", "h_i32", "h_i64", "h_mixed", "h_ptr", "h_void"],
      i32: -42,
      i64: 42,
      i64big: `${2n ** 60n + 1n}n`,
      f32: 2.5,
      f64: 1,
      mixed: 7 * 8 + 2 + 9,
      void: true,
      reply: "host got: to the host: ü",
      replyLen: Buffer.byteLength("host got: to the host: ü"),
      viaInvoke: 10,
    });
    expect(seen).toEqual(["to the host: ü"]);
    await p.close();
  });
  test("a Capstan registry host function called with Memory blocks (ExtismRuntime)", async () => {
    const rt = await hostRuntime(reg, { hostFunctions: ["capstan_yaml_parse"] });
    const r = await hostCall(rt, "parseYaml", "a: 1\nb: [x, y]\n---\nkind: Pod\n");
    expect(r.ok && JSON.parse(r.text)).toEqual([{ a: 1, b: ["x", "y"] }, { kind: "Pod" }]);
    const bad = await hostCall(rt, "parseYaml", "a: [unclosed");
    expect(bad.ok).toBe(false);
  });
});

describe("Memory and MemoryHandle", () => {
  const want = {
    string: ["héllo", 6],
    bytes: [[1, 2, 255], 3],
    view: [8, 7],
    json: { a: [1, "x"], b: null },
    u32: 4000000000,
    u64: String(2n ** 64n - 2n),
    f32: 1.5,
    f64: Math.PI,
    found: ["héllo", true],
    handle: "héllo",
  };
  test("allocators and readers in both hosts", async () => {
    const p = await sdkPlugin(fns, { functions: functions as never });
    const r = await sdkCall(p, "memoryOps");
    expect(r.ok && JSON.parse(r.text)).toEqual(want);
    await p.close();
    const rt = await hostRuntime(reg, { hostFunctions: ["capstan_yaml_parse"] });
    const h = await hostCall(rt, "memoryOps");
    expect(h.ok && JSON.parse(h.text)).toEqual(want);
  });
});
