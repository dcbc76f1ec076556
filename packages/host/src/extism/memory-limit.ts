// Caps a module's own linear memory by rewriting the maximum in its memory section before it is
// compiled, so `memory.grow` past the cap returns -1 inside the plugin. The Extism JS SDK's
// maxPages only limits its kernel blocks (shared/spec/engine-notes.md), so this is how Helm's
// `memory.maxPages` is enforced here.

/** Why a module cannot be capped (its minimum already exceeds the cap, or it is malformed). */
export class MemoryLimitError extends Error {}

/**
 * Returns the module with every defined memory's maximum set to at most `maxPages` pages. The
 * module is `bytes` from offset `at` on; when those first `at` bytes (at > 0) are free room,
 * the few KB of sections before the memory section move into it and the module is rewritten
 * in place, instead of copying a module of a megabyte or more (module-cache.ts reads files
 * that way). With `at` 0, `bytes` is never modified.
 */
export function capMemoryPages(bytes: Uint8Array, maxPages: number, at = 0): Uint8Array {
  if (
    bytes.length < at + 8 ||
    bytes[at] !== 0 ||
    bytes[at + 1] !== 0x61 ||
    bytes[at + 2] !== 0x73 ||
    bytes[at + 3] !== 0x6d
  ) {
    throw new MemoryLimitError("not a WebAssembly binary (bad magic)");
  }
  let pos = at + 8;
  while (pos < bytes.length) {
    const id = bytes[pos] as number;
    const [size, sizeLen] = readU32(bytes, pos + 1);
    const start = pos + 1 + sizeLen;
    const end = start + size;
    if (end > bytes.length) throw new MemoryLimitError("truncated section");
    if (id === 5) {
      const body = rewriteMemorySection(bytes.subarray(start, end), maxPages);
      const section = Uint8Array.from([5, ...writeU32(body.length), ...body]);
      const grow = section.length - (end - pos);
      if (at > 0 && grow <= at) {
        bytes.copyWithin(at - grow, at, pos);
        bytes.set(section, pos - grow);
        return bytes.subarray(at - grow);
      }
      const out = new Uint8Array(pos - at + section.length + (bytes.length - end));
      out.set(bytes.subarray(at, pos), 0);
      out.set(section, pos - at);
      out.set(bytes.subarray(end), pos - at + section.length);
      return out;
    }
    pos = end;
  }
  return at === 0 ? bytes : bytes.subarray(at); // no memory section: nothing to cap
}

function rewriteMemorySection(section: Uint8Array, maxPages: number): Uint8Array {
  const out: number[] = [];
  let p = 0;
  const [count, n] = readU32(section, p);
  p += n;
  out.push(...writeU32(count));
  for (let i = 0; i < count; i++) {
    const flags = section[p++] as number;
    if (flags & 0x04) throw new MemoryLimitError("64-bit memories are not supported");
    const [min, minLen] = readU32(section, p);
    p += minLen;
    let max = maxPages;
    if (flags & 0x01) {
      const [declared, maxLen] = readU32(section, p);
      p += maxLen;
      max = Math.min(declared, maxPages);
    }
    if (min > max) {
      throw new MemoryLimitError(`the module needs ${min} pages at start but the limit is ${max}`);
    }
    out.push(flags | 0x01, ...writeU32(min), ...writeU32(max));
  }
  return Uint8Array.from(out);
}

/** Reads an unsigned LEB128 at `at`: [value, bytes read]. */
export function readU32(b: Uint8Array, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new MemoryLimitError("truncated LEB128");
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, i + 1];
    shift += 7;
  }
  throw new MemoryLimitError("LEB128 too long");
}

/** Encodes an unsigned LEB128. */
export function writeU32(n: number): number[] {
  const out: number[] = [];
  let v = n;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}
