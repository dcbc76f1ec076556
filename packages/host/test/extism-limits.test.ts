// Limits of the extism/v1 sandbox against real Wasm: a runaway loop is stopped by the deadline,
// a memory bomb hits maxPages, a trap is contained, and the next call on the same runtime works.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openExtismModule, type RuntimeError } from "@capstan/host";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let wasm: string;
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-extism-limits-"));
  wasm = await assembleWat("kernel", dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("an infinite loop is stopped at the timeout and the next call works", async () => {
  const rt = await openExtismModule(wasm, { name: "spinner", timeoutMs: 300 });
  const started = performance.now();
  const err = (await rt.call("", { funcName: "loop" }).catch((e) => e)) as RuntimeError;
  const took = performance.now() - started;
  expect(err.code).toBe("timeout");
  expect(err.exitCode).toBe(7);
  expect(err.message).toBe('plugin "spinner" did not finish within 300 ms and was stopped');
  expect(err.hint).toContain("runtimeConfig.timeout");
  // Not stopped early; how late it stops depends on the machine's load, so no upper bound
  // (a loop the deadline missed would hang until jest's own timeout fails the test).
  expect(took).toBeGreaterThanOrEqual(300 * 0.95);
  expect(text(await rt.call("still alive"))).toBe("still alive");
});

test("a per-call timeout overrides the policy", async () => {
  const rt = await openExtismModule(wasm, { name: "spinner" });
  await expect(rt.call("", { funcName: "loop", timeoutMs: 100 })).rejects.toMatchObject({ code: "timeout" });
});

test("a memory bomb hits maxPages with a clean memory error; the host keeps running", async () => {
  const rt = await openExtismModule(wasm, { name: "bomb", maxPages: 64 });
  const err = (await rt.call("", { funcName: "grow" }).catch((e) => e)) as RuntimeError;
  expect(err.code).toBe("memory");
  expect(err.exitCode).toBe(8);
  expect(err.message).toBe(
    'plugin "bomb" ran out of memory: it used 52 of its 64 pages (4 MiB, runtimeConfig.memory.maxPages) when it stopped (wasm trap: unreachable)',
  );
  expect(err.hint).toBe("raise runtimeConfig.memory.maxPages in plugin.yaml");
  expect(text(await rt.call("after the bomb"))).toBe("after the bomb");
});

test("a module whose initial memory exceeds maxPages is refused at load", async () => {
  await expect(openExtismModule(wasm, { name: "fat", maxPages: 2 })).rejects.toMatchObject({
    code: "memory",
    message: expect.stringContaining("the module needs 4 pages at start but the limit is 2"),
  });
});

test("kernel blocks count against maxPages too", async () => {
  const rt = await openExtismModule(wasm, { name: "blocks", maxPages: 64 });
  // 10 MiB output block > 4 MiB: alloc returns 0 and the plugin's store traps.
  const err = (await rt.call("", { funcName: "big" }).catch((e) => e)) as RuntimeError;
  expect(err.code).toBe("trap");
  expect(err.message).toContain("invalid kernel memory handle");
});

test("an input larger than the cap still reaches the plugin; its own copy is refused", async () => {
  const rt = await openExtismModule(wasm, { name: "small", maxPages: 5 });
  const err = (await rt.call("z".repeat(400 * 1024), { funcName: "echo" }).catch((e) => e)) as RuntimeError;
  expect(err.code).toBe("trap");
  expect(err.message).toMatch(
    /^plugin "small" \(.*\.wasm\) made an invalid kernel call: .*invalid kernel memory handle 0x0$/,
  );
  expect(err.hint).toContain("runtimeConfig.memory.maxPages");
  expect(text(await rt.call("tiny"))).toBe("tiny");
});

test("a trap is an error, the host survives, the next call works", async () => {
  const rt = await openExtismModule(wasm, { name: "crashy" });
  const err = (await rt.call("", { funcName: "trap" }).catch((e) => e)) as RuntimeError;
  expect(err.code).toBe("trap");
  expect(err.exitCode).toBe(6);
  expect(err.message).toBe('plugin "crashy" crashed (wasm trap: unreachable)');
  expect(text(await rt.call("next"))).toBe("next");
});

test("a stack overflow is a trap and the next call works", async () => {
  const rt = await openExtismModule(wasm, { name: "deep" });
  await expect(rt.call("", { funcName: "recurse" })).rejects.toMatchObject({
    code: "trap",
    message: 'plugin "deep" crashed (wasm trap: stack overflow)',
  });
  expect(text(await rt.call("ok"))).toBe("ok");
});

test("a 10 MiB output comes back whole", async () => {
  // Deadlines no loaded machine misses: these two are about bytes, not time.
  const rt = await openExtismModule(wasm, { name: "big", timeoutMs: 600_000 });
  const out = await rt.call("", { funcName: "big" });
  expect(out.length).toBe(10 * 1024 * 1024);
  expect(out[0]).toBe(0x61);
  expect(out[out.length - 1]).toBe(0x61);
  expect(out.every((b) => b === 0x61)).toBe(true);
});

test("a 10 MiB input goes in whole", async () => {
  const rt = await openExtismModule(wasm, { name: "big-in", timeoutMs: 600_000 });
  const input = new Uint8Array(10 * 1024 * 1024 + 3).map((_, i) => i % 251);
  const out = await rt.call(input, { funcName: "echo" });
  expect(Buffer.compare(Buffer.from(out), Buffer.from(input))).toBe(0);
});
