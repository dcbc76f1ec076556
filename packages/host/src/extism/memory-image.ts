// The initial contents of a pooled memory, written by the host instead of by instantiation.
// A QuickJS plugin's snapshot heap arrives as thousands of active data segments (one per
// non-zero run, ~3,000 for the scaffold's hello), and V8 writes them one by one on every
// instantiation. For a module whose memory comes from the pool (memory-pool.ts), the active
// segments are taken out of the module once, at compile time, and joined into a few runs (gaps
// of zeros filled in); each call then writes those runs into its zeroed memory before the
// instance exists. The memory a call sees is byte for byte what instantiation would have made.
// Passive segments (memory.init / data.drop refer to them by index) stay in the module.
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
 * This runs on every CLI plugin call, in cold code, over thousands of segments: no per-segment
 * allocation (typed-array views cost ~1 us each before V8 optimizes anything).
 */
export function splitDataSegments(
  bytes: Uint8Array,
  start: number,
  end: number,
  memoryBytes: number,
): { passive: Uint8Array[]; image: MemoryImage } | null {
  let p = start;
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[p++] as number;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0 || shift > 28) return result;
      shift += 7;
    }
  };
  const count = u32();
  const passive: Uint8Array[] = [];
  const dst = new Float64Array(count); // where each active segment goes in memory
  const src = new Float64Array(count); // where its bytes are in `bytes`
  const len = new Float64Array(count);
  let n = 0;
  let sorted = true;
  for (let i = 0; i < count; i++) {
    const at = p;
    const flag = bytes[p++];
    if (flag === 1) {
      const size = u32();
      p += size;
      if (n > 0) return null;
      passive.push(bytes.subarray(at, p));
      continue;
    }
    if (flag !== 0 || bytes[p++] !== 0x41) return null;
    let offset = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[p++] as number;
      offset |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    if (shift < 32 && byte & 0x40) offset |= -1 << shift; // sign-extend
    if (bytes[p++] !== 0x0b) return null;
    const size = u32();
    const o = offset >>> 0;
    if (o + size > memoryBytes || p + size > end) return null;
    if (size > 0) {
      if (n > 0 && o < (dst[n - 1] as number)) sorted = false;
      dst[n] = o;
      src[n] = p;
      len[n] = size;
      n++;
    }
    p += size;
  }
  if (p !== end) return null;
  return { passive, image: joinSegments(bytes, start, end, { dst, src, len, n, sorted }) };
}

/** Joins the active segments (later ones win where they overlap, as in instantiation) into runs. */
function joinSegments(
  bytes: Uint8Array,
  start: number,
  end: number,
  seg: { dst: Float64Array; src: Float64Array; len: Float64Array; n: number; sorted: boolean },
): MemoryImage {
  const { dst, src, len, n } = seg;
  const order = Array.from({ length: n }, (_, i) => i);
  if (!seg.sorted) order.sort((a, b) => (dst[a] as number) - (dst[b] as number));
  // Runs: [from, to) in memory, and where each starts in the image buffer.
  const from: number[] = [];
  const to: number[] = [];
  for (const i of order) {
    const a = dst[i] as number;
    const b = a + (len[i] as number);
    const last = to.length - 1;
    if (last >= 0 && a <= (to[last] as number) + JOIN_GAP) to[last] = Math.max(to[last] as number, b);
    else {
      from.push(a);
      to.push(b);
    }
  }
  const base: number[] = [];
  let total = 0;
  for (let r = 0; r < from.length; r++) {
    base.push(total);
    total += (to[r] as number) - (from[r] as number);
  }
  // One buffer holds the image and, after it, a copy of the data section, so that every
  // segment is moved with copyWithin (no view per segment).
  const scratch = new Uint8Array(total + (end - start));
  scratch.set(bytes.subarray(start, end), total);
  for (let i = 0; i < n; i++) {
    const a = dst[i] as number;
    let lo = 0; // the last run starting at or before the segment
    for (let hi = from.length - 1; lo < hi; ) {
      const mid = (lo + hi + 1) >> 1;
      if ((from[mid] as number) <= a) lo = mid;
      else hi = mid - 1;
    }
    const s = total + (src[i] as number) - start;
    scratch.copyWithin((base[lo] as number) + a - (from[lo] as number), s, s + (len[i] as number));
  }
  const image = scratch.slice(0, total);
  return {
    runs: from.map((f, r) => ({
      offset: f,
      bytes: image.subarray(base[r] as number, (base[r] as number) + (to[r] as number) - f),
    })),
  };
}

/** Writes the image into `buffer` (which must be zeroed and large enough). */
export function writeImage(image: MemoryImage, buffer: ArrayBuffer): void {
  const view = new Uint8Array(buffer);
  for (const r of image.runs) view.set(r.bytes, r.offset);
}
