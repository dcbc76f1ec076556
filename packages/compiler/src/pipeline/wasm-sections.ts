// Minimal Wasm binary section access: enough to rewrite the export and data sections of a
// snapshot without touching code (no index changes).

/** One top-level section: id and payload bounds in the module bytes. */
export interface Section {
  id: number;
  start: number;
  end: number;
}

/** Reads an unsigned LEB128 at p; returns [value, next position]. */
export function readU32(b: Uint8Array, p: number): [number, number] {
  let r = 0;
  let shift = 0;
  let x: number;
  do {
    x = b[p++] as number;
    r += (x & 127) * 2 ** shift;
    shift += 7;
  } while (x & 128);
  return [r, p];
}

/** Encodes an unsigned LEB128. */
export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 128;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** Encodes a signed LEB128 (i32 range). */
export function s32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 127;
    n >>= 7;
    if ((n === 0 && (byte & 64) === 0) || (n === -1 && (byte & 64) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 128);
  }
}

/** The module's sections in order. */
export function sections(wasm: Uint8Array): Section[] {
  const out: Section[] = [];
  let p = 8;
  while (p < wasm.length) {
    const id = wasm[p++] as number;
    const [size, q] = readU32(wasm, p);
    out.push({ id, start: q, end: q + size });
    p = q + size;
  }
  return out;
}

/** Reassembles a module from sections, replacing the payloads given in `replace` by id. */
export function assemble(wasm: Uint8Array, secs: Section[], replace: Map<number, Uint8Array[]>): Uint8Array {
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  for (const s of secs) {
    const payload = replace.get(s.id) ?? [wasm.subarray(s.start, s.end)];
    const len = payload.reduce((n, c) => n + c.length, 0);
    parts.push(Uint8Array.from([s.id, ...u32(len)]), ...payload);
  }
  const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of parts) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
