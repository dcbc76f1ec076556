// The initial contents of a pooled memory, written by the host instead of by instantiation.
// A QuickJS plugin's snapshot heap arrives as thousands of active data segments (one per
// non-zero run, ~3,000 for the scaffold's hello), and V8 writes them one by one on every
// instantiation. For a module whose memory comes from the pool (memory-pool.ts), the active
// segments are taken out of the module once, at compile time, and joined into a few runs (gaps
// of zeros filled in); each call then writes those runs into its zeroed memory before the
// instance exists. The memory a call sees is byte for byte what instantiation would have made.
// Passive segments (memory.init / data.drop refer to them by index) stay in the module.
import { readU32 } from "./memory-limit.js";

/** Bytes of the initial memory: each run is written at its offset; everything else is zero. */
export interface MemoryImage {
  runs: { offset: number; bytes: Uint8Array }[];
}

/** Zero gaps of at most this many bytes between segments are copied rather than split into runs. */
const JOIN_GAP = 256;

/**
 * Splits the data section body `bytes[start, end)` into the passive segments (kept, in order)
 * and the image of the active ones. Null when the layout does not allow it: an active segment
 * before a passive one (removing it would renumber the passive ones), an offset that is not an
 * i32.const, a segment for another memory, or one past `memoryBytes` (instantiation must fail
 * on it as before).
 */
export function splitDataSegments(
  bytes: Uint8Array,
  start: number,
  end: number,
  memoryBytes: number,
): { passive: Uint8Array[]; image: MemoryImage } | null {
  const [count, n] = readU32(bytes, start);
  let p = start + n;
  const passive: Uint8Array[] = [];
  const active: { offset: number; bytes: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    const at = p;
    const flag = bytes[p++];
    if (flag === 1) {
      const [len, k] = readU32(bytes, p);
      p += k + len;
      if (active.length > 0) return null;
      passive.push(bytes.subarray(at, p));
      continue;
    }
    if (flag !== 0 || bytes[p++] !== 0x41) return null;
    const [offset, k] = readS32(bytes, p);
    p += k;
    if (bytes[p++] !== 0x0b) return null;
    const [len, m] = readU32(bytes, p);
    p += m;
    const o = offset >>> 0;
    if (o + len > memoryBytes) return null;
    active.push({ offset: o, bytes: bytes.subarray(p, p + len) });
    p += len;
  }
  if (p !== end) return null;
  return { passive, image: joinSegments(active) };
}

/** Joins segments (later ones win where they overlap, as in instantiation) into runs. */
function joinSegments(segments: { offset: number; bytes: Uint8Array }[]): MemoryImage {
  const spans = segments
    .filter((s) => s.bytes.length > 0)
    .map((s) => [s.offset, s.offset + s.bytes.length] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of spans) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + JOIN_GAP) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const runs = merged.map(([from, to]) => ({ offset: from, bytes: new Uint8Array(to - from) }));
  for (const s of segments) {
    if (s.bytes.length === 0) continue;
    let lo = 0; // the last run starting at or before the segment (runs are sorted and disjoint)
    for (let hi = runs.length - 1; lo < hi; ) {
      const mid = (lo + hi + 1) >> 1;
      if ((runs[mid] as MemoryImage["runs"][number]).offset <= s.offset) lo = mid;
      else hi = mid - 1;
    }
    const run = runs[lo] as MemoryImage["runs"][number];
    run.bytes.set(s.bytes, s.offset - run.offset);
  }
  return { runs };
}

/** Writes the image into `buffer` (which must be zeroed and large enough). */
export function writeImage(image: MemoryImage, buffer: ArrayBuffer): void {
  const view = new Uint8Array(buffer);
  for (const r of image.runs) view.set(r.bytes, r.offset);
}

/** Reads a signed LEB128 i32 at `at`: [value, bytes read]. */
function readS32(b: Uint8Array, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    const byte = b[at + i] as number;
    result |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) === 0) {
      if (shift < 32 && byte & 0x40) result |= -1 << shift;
      return [result, i + 1];
    }
  }
  return [result, 5];
}
