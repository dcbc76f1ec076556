// Final touches on the Wizer snapshot, on the encoded bytes: drop the engine's internal
// exports, and merge data segments. Wizer writes one segment per non-zero run of the heap (up
// to 10000); a segment header costs ~9 bytes, so runs separated by at most 8 zero bytes are
// merged. Passive segments (Wizer's placeholders for the engine's own) keep their indices.
import { assemble, readU32, type Section, s32, sections, u32 } from "./wasm-sections.js";

const dec = new TextDecoder();

function filterExports(wasm: Uint8Array, s: Section, drop: Set<string>): Uint8Array[] {
  let [count, p] = readU32(wasm, s.start);
  const kept: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = p;
    const [len, q] = readU32(wasm, p);
    const name = dec.decode(wasm.subarray(q, q + len));
    p = q + len + 1; // kind
    [, p] = readU32(wasm, p); // index
    if (!drop.has(name)) kept.push(wasm.subarray(start, p));
  }
  count = kept.length;
  return [Uint8Array.from(u32(count)), ...kept];
}

function mergeData(wasm: Uint8Array, s: Section): { payload: Uint8Array[]; count: number } | undefined {
  const [count, p0] = readU32(wasm, s.start);
  let p = p0;
  const passive: Uint8Array[] = [];
  const active: Array<{ offset: number; bytes: Uint8Array }> = [];
  for (let i = 0; i < count; i++) {
    const start = p;
    const flag = wasm[p++];
    if (flag === 1) {
      const [len, q] = readU32(wasm, p);
      p = q + len;
      if (active.length > 0) return undefined; // passive after active: keep the layout as is
      passive.push(wasm.subarray(start, p));
      continue;
    }
    if (flag !== 0 || wasm[p] !== 0x41) return undefined; // only (i32.const N) offsets
    p++;
    let off = 0;
    let shift = 0;
    let x: number;
    do {
      x = wasm[p++] as number;
      off |= (x & 127) << shift;
      shift += 7;
    } while (x & 128);
    if (wasm[p++] !== 0x0b) return undefined;
    const [len, q] = readU32(wasm, p);
    active.push({ offset: off >>> 0, bytes: wasm.subarray(q, q + len) });
    p = q + len;
  }
  active.sort((a, b) => a.offset - b.offset);
  const groups: Array<{ offset: number; end: number; parts: Uint8Array[] }> = [];
  for (const a of active) {
    const last = groups[groups.length - 1];
    if (last && a.offset >= last.end && a.offset - last.end <= 8) {
      if (a.offset > last.end) last.parts.push(new Uint8Array(a.offset - last.end));
      last.parts.push(a.bytes);
      last.end = a.offset + a.bytes.length;
    } else {
      groups.push({ offset: a.offset, end: a.offset + a.bytes.length, parts: [a.bytes] });
    }
  }
  const total = passive.length + groups.length;
  const payload: Uint8Array[] = [Uint8Array.from(u32(total)), ...passive];
  for (const g of groups) {
    payload.push(
      Uint8Array.from([0, 0x41, ...s32(g.offset | 0), 0x0b, ...u32(g.end - g.offset)]),
      ...g.parts,
    );
  }
  return { payload, count: total };
}

/** The plugin module from a snapshot: internal exports removed, data segments merged. */
export function finalize(snapshot: Uint8Array, dropExports: string[]): Uint8Array {
  const secs = sections(snapshot);
  const replace = new Map<number, Uint8Array[]>();
  const exp = secs.find((s) => s.id === 7);
  if (exp) replace.set(7, filterExports(snapshot, exp, new Set(dropExports)));
  const data = secs.find((s) => s.id === 11);
  const merged = data ? mergeData(snapshot, data) : undefined;
  if (merged) {
    replace.set(11, merged.payload);
    if (secs.some((s) => s.id === 12)) replace.set(12, [Uint8Array.from(u32(merged.count))]);
  }
  return assemble(snapshot, secs, replace);
}

/** Export names of a module (for checks). */
export function exportNames(wasm: Uint8Array): string[] {
  const s = sections(wasm).find((x) => x.id === 7);
  if (!s) return [];
  const names: string[] = [];
  let [count, p] = readU32(wasm, s.start);
  for (; count > 0; count--) {
    const [len, q] = readU32(wasm, p);
    names.push(dec.decode(wasm.subarray(q, q + len)));
    p = q + len + 1;
    [, p] = readU32(wasm, p);
  }
  return names;
}
