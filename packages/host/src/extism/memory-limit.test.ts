import { expect, test } from "@jest/globals";
import { capMemoryPages, MemoryLimitError } from "./memory-limit.js";

// (module (memory (export "memory") 2)) and (module (memory (export "memory") 1 100)), hand-assembled.
const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const exportMemory = [0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00];
const noMax = Uint8Array.from([...header, 0x05, 0x03, 0x01, 0x00, 0x02, ...exportMemory]);
const withMax = Uint8Array.from([...header, 0x05, 0x04, 0x01, 0x01, 0x01, 0x64, ...exportMemory]);
const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object) => { exports: { memory: { grow(n: number): number } } };
    };
  }
).WebAssembly;

function grows(bytes: Uint8Array, by: number): boolean {
  const memory = new WA.Instance(new WA.Module(bytes)).exports.memory;
  try {
    memory.grow(by);
    return true;
  } catch {
    return false;
  }
}

test("a memory without maximum gets the cap as maximum", () => {
  const capped = capMemoryPages(noMax, 10);
  expect(Array.from(capped.subarray(8, 14))).toEqual([0x05, 0x04, 0x01, 0x01, 0x02, 0x0a]);
  expect(grows(capped, 8)).toBe(true);
  expect(grows(capped, 9)).toBe(false);
  expect(grows(noMax, 9)).toBe(true);
});

test("a larger declared maximum is lowered; a smaller one is kept", () => {
  expect(Array.from(capMemoryPages(withMax, 10).subarray(8, 14))).toEqual([
    0x05, 0x04, 0x01, 0x01, 0x01, 0x0a,
  ]);
  expect(Array.from(capMemoryPages(withMax, 1000).subarray(8, 14))).toEqual([
    0x05, 0x04, 0x01, 0x01, 0x01, 0x64,
  ]);
});

test("caps that need longer LEB128 encodings resize the section", () => {
  const capped = capMemoryPages(noMax, 16384);
  expect(Array.from(capped.subarray(8, 16))).toEqual([0x05, 0x06, 0x01, 0x01, 0x02, 0x80, 0x80, 0x01]);
  expect(capped.length).toBe(noMax.length + 3);
  expect(grows(capped, 1)).toBe(true);
});

test("an initial size over the cap, bad magic and modules without memory", () => {
  expect(() => capMemoryPages(noMax, 1)).toThrow(
    new MemoryLimitError("the module needs 2 pages at start but the limit is 1"),
  );
  expect(() => capMemoryPages(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 1)).toThrow("bad magic");
  const empty = Uint8Array.from(header);
  expect(capMemoryPages(empty, 1)).toBe(empty);
});

test("with free room before the module, the memory section grows in place (no copy)", () => {
  const room = 4;
  const buf = new Uint8Array(room + noMax.length);
  buf.set(noMax, room);
  const capped = capMemoryPages(buf, 10, room);
  expect(capped.buffer).toBe(buf.buffer);
  expect(Array.from(capped)).toEqual(Array.from(capMemoryPages(noMax, 10)));
  expect(grows(capped, 8)).toBe(true);
  expect(grows(capped, 9)).toBe(false);
  // No room (the default): a copy, and the input is left as it was.
  const input = Uint8Array.from(noMax);
  const copied = capMemoryPages(input, 10);
  expect(copied.buffer).not.toBe(input.buffer);
  expect(Array.from(input)).toEqual(Array.from(noMax));
});
