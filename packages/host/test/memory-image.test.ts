// The pooled variant of a module (memory-pool.ts) writes the active data segments itself
// (memory-image.ts). Oracle: V8's own instantiation of the unmodified module. Whatever the
// segment layout (overlaps, small and large gaps, passive segments used by memory.init), a
// pooled memory must hold the same bytes, call after call, whatever the previous call wrote.
// Runtimes switch to the pooled variant on a module's second call (module-cache.ts).
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { importOwnMemory, MemoryPool } from "../src/extism/memory-pool.js";
import { compileModule, memoryPoolOf, moduleForCall } from "../src/extism/module-cache.js";
import { assembleWat } from "./helpers/wat.js";

interface WasmMemoryLike {
  buffer: ArrayBuffer;
  grow(n: number): number;
}
const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (
        m: object,
        i: Record<string, Record<string, unknown>>,
      ) => { exports: Record<string, unknown> };
      Memory: new (d: { initial: number; maximum: number }) => WasmMemoryLike;
    };
  }
).WebAssembly;

// Two pages; segments overlapping (the later one wins), 3 bytes apart (joined into one run),
// 40,000 bytes apart (two runs), and one at the very end of the initial memory. The passive
// segment comes first, as Wizer lays them out, and is copied by memory.init at call time.
const WAT = `(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (memory (export "memory") 2 4)
  (data $p "passive!")
  (data (i32.const 100) "abcdefgh")
  (data (i32.const 104) "XY")
  (data (i32.const 111) "gap")
  (data (i32.const 40200) "far away")
  (data (i32.const 131070) "zz")
  (func (export "init") (memory.init $p (i32.const 50000) (i32.const 0) (i32.const 8)))
  (func (export "scribble") (memory.fill (i32.const 0) (i32.const 0x5a) (i32.const 131072)))
)`;

let dir: string;
let bytes: Uint8Array;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-memory-image-"));
  bytes = new Uint8Array(await readFile(await assembleWat("segments", dir, WAT)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stub = { "extism:host/env": { input_length: () => 0n } };

/** The memory V8 itself builds for the original module, after calling `init`. */
function oracle(): Uint8Array {
  const inst = new WA.Instance(new WA.Module(bytes), stub);
  (inst.exports.init as () => void)();
  return new Uint8Array((inst.exports.memory as WasmMemoryLike).buffer).slice();
}

test("the active segments leave the module and come back through the pool, byte for byte", () => {
  const pooled = importOwnMemory(bytes);
  expect(pooled).not.toBeNull();
  const { bytes: rewritten, limits, image } = pooled as NonNullable<typeof pooled>;
  expect(limits).toEqual({ initial: 2, maximum: 4 });
  expect(image?.runs.map((r) => [r.offset, r.bytes.length])).toEqual([
    [100, 14], // "abcdXYgh" + 3 zero bytes + "gap"
    [40200, 8],
    [131070, 2],
  ]);
  const pool = new MemoryPool(limits, WA.Memory, image);
  const module = new WA.Module(rewritten);
  const want = oracle();
  for (let i = 0; i < 3; i++) {
    const memory = pool.take();
    const inst = new WA.Instance(module, { ...stub, "capstan:host/memory": { memory } });
    (inst.exports.init as () => void)();
    expect(Buffer.from(memory.buffer).equals(Buffer.from(want))).toBe(true);
    (inst.exports.scribble as () => void)(); // every byte dirty before it goes back
    pool.give(memory);
  }
});

test("a segment past the initial memory stays in the module, so instantiation still fails on it", async () => {
  const past = WAT.replace('(i32.const 131070) "zz"', '(i32.const 131071) "zz"');
  const pooled = importOwnMemory(new Uint8Array(await readFile(await assembleWat("past", dir, past))));
  expect(pooled?.image).toBeNull();
  const memory = new WA.Memory({ initial: 2, maximum: 4 });
  const module = new WA.Module(pooled?.bytes as Uint8Array);
  expect(() => new WA.Instance(module, { ...stub, "capstan:host/memory": { memory } })).toThrow(
    /out of bounds|data segment/i,
  );
});

test("a module runs as is on its first call and pooled from its second (not if the file changed)", async () => {
  const path = join(dir, "steady.wasm");
  await writeFile(path, bytes);
  const module = await compileModule(path, 4, "steady");
  expect(memoryPoolOf(module)).toBeNull();
  expect(await moduleForCall(module)).toBe(module);
  const pooled = await moduleForCall(module);
  expect(pooled).not.toBe(module);
  expect(memoryPoolOf(pooled)?.limits).toEqual({ initial: 2, maximum: 4 });
  expect(await moduleForCall(module)).toBe(pooled);

  const other = join(dir, "changed.wasm");
  await writeFile(other, bytes);
  const first = await compileModule(other, 4, "changed");
  await moduleForCall(first);
  await utimes(other, new Date(), new Date(Date.now() + 5000));
  expect(await moduleForCall(first)).toBe(first);
});
