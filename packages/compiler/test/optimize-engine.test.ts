// The engine optimization step (pipeline/optimize-engine.ts) on small modules made with
// binaryen: the result is optimized, cached under a name derived from the input's bytes (a
// different engine never gets another one's result), and a corrupt cache entry is redone.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { loadBinaryen } from "../src/pipeline/link.js";
import { optimizedEngine } from "../src/pipeline/optimize-engine.js";

const dir = mkdtempSync(join(tmpdir(), "capstan-engine-opt-"));
const previous = process.env.CAPSTAN_CACHE_DIR;
beforeAll(() => {
  process.env.CAPSTAN_CACHE_DIR = dir;
});
afterAll(() => {
  if (previous === undefined) delete process.env.CAPSTAN_CACHE_DIR;
  else process.env.CAPSTAN_CACHE_DIR = previous;
  rmSync(dir, { recursive: true, force: true });
});

/** A module exporting `answer` = (1 + 2) * k, written so that -Os has something to fold. */
async function engineLike(k: number): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const m = new b.Module();
  try {
    m.addFunction("unused", b.none, b.i32, [], m.i32.const(7)); // not exported: removed by -Os
    const sum = m.i32.add(m.i32.const(1), m.i32.const(2));
    m.addFunction(
      "answer",
      b.none,
      b.i32,
      [b.i32],
      m.block(null, [m.local.set(0, m.i32.mul(sum, m.i32.const(k))), m.local.get(0, b.i32)], b.i32),
    );
    m.addFunctionExport("answer", "answer");
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object) => { exports: { answer(): number } };
    };
  }
).WebAssembly;
const answer = (bytes: Uint8Array) => new WA.Instance(new WA.Module(bytes)).exports.answer();
const entries = () =>
  readdirSync(join(dir, "engine-opt"))
    .filter((f) => f.endsWith(".wasm"))
    .sort();

test("optimizes, caches by content, and never hands one engine's result to another", async () => {
  const a = await engineLike(2);
  const optA = await optimizedEngine(a);
  expect(optA.length).toBeLessThan(a.length);
  expect(answer(optA)).toBe(6);
  expect(entries()).toHaveLength(1);

  const b = await engineLike(5);
  const optB = await optimizedEngine(b);
  expect(answer(optB)).toBe(15); // not A's cached result
  expect(entries()).toHaveLength(2);
  expect(Buffer.from(await optimizedEngine(a)).equals(Buffer.from(optA))).toBe(true);
});

test("a corrupt cache entry is optimized again and replaced", async () => {
  const c = await engineLike(9);
  const before = new Set(entries());
  const opt = await optimizedEngine(c);
  const [file] = entries().filter((f) => !before.has(f));
  writeFileSync(join(dir, "engine-opt", file as string), opt.subarray(0, opt.length - 3));
  const again = await optimizedEngine(c);
  expect(answer(again)).toBe(27);
  expect(Buffer.from(readFileSync(join(dir, "engine-opt", file as string))).equals(Buffer.from(opt))).toBe(
    true,
  );
});
