// Fresh memory per call without fresh pages per call. A module that defines its own memory
// gets new pages from the OS on every instantiation, and its data segments (a QuickJS plugin's
// snapshot heap) are written into them: page faults that made a new instance cost 1.5-20 ms
// (docs/benchmarks.md). For inline calls the module is rewritten, once at compile time, to
// import that memory instead; each call instantiates over a memory from this pool, and a
// memory is reused only at its initial size (a grown one is dropped) and zeroed first. The active
// data segments are written again before each call (memory-image.ts, or by instantiation when
// they stay in the module), so each call starts from exactly the state a fresh memory would
// have: no byte of a previous call survives.
import { type MemoryImage, splitDataSegments, writeImage } from "./memory-image.js";
import { readU32, writeU32 } from "./memory-limit.js";
import type { WasmMemory } from "./wasm-types.js";

/** The import the rewritten module takes its memory from (a name no plugin can provide). */
export const MEMORY_IMPORT = { module: "capstan:host/memory", name: "memory" } as const;

/** Limits of the memory a rewritten module imports, in 64 KiB pages. */
export interface MemoryLimits {
  initial: number;
  maximum: number;
}

type MemoryCtor = new (d: { initial: number; maximum: number }) => WasmMemory;

/** A module rewritten to import its memory: its bytes, the memory's limits, its initial contents. */
export interface PooledModule {
  bytes: Uint8Array;
  limits: MemoryLimits;
  /** The active data segments, taken out of the module (null: they stayed in it). */
  image: MemoryImage | null;
}

/**
 * Rewrites a module whose one memory is defined (not imported) so that it imports it as
 * MEMORY_IMPORT with the same limits, and moves its active data segments into an image the
 * pool writes (memory-image.ts); null when the module has no memory, several, an imported one,
 * no maximum (capMemoryPages always sets one), or no imports at all.
 */
export function importOwnMemory(bytes: Uint8Array): PooledModule | null {
  let pos = 8;
  let imports: { at: number; end: number; count: number; body: number } | null = null;
  let memory: { at: number; end: number; limits: MemoryLimits } | null = null;
  let data: { at: number; start: number; end: number } | null = null;
  let dataCount: { at: number; end: number } | null = null;
  while (pos < bytes.length) {
    const id = bytes[pos] as number;
    const [size, n] = readU32(bytes, pos + 1);
    const start = pos + 1 + n;
    const end = start + size;
    if (id === 2) {
      const [count, k] = readU32(bytes, start);
      // An imported memory would be index 0: leave such modules alone.
      if (importsMemory(bytes, start + k, count)) return null;
      imports = { at: pos, end, count, body: start + k };
    } else if (id === 5) {
      const [count, k] = readU32(bytes, start);
      let p = start + k;
      const flags = bytes[p++] as number;
      if (count !== 1 || flags !== 1) return null;
      const [initial, a] = readU32(bytes, p);
      const [maximum] = readU32(bytes, p + a);
      memory = { at: pos, end, limits: { initial, maximum } };
    } else if (id === 11) {
      data = { at: pos, start, end };
    } else if (id === 12) {
      dataCount = { at: pos, end };
    }
    pos = end;
  }
  // Without an import section (no Extism kernel: not a plugin we call) the module is left as is.
  if (!memory || !imports) return null;
  const desc = [
    ...name(MEMORY_IMPORT.module),
    ...name(MEMORY_IMPORT.name),
    2, // memory
    1, // has a maximum
    ...writeU32(memory.limits.initial),
    ...writeU32(memory.limits.maximum),
  ];
  const count = writeU32(imports.count + 1);
  const head = Uint8Array.from([
    2,
    ...writeU32(count.length + (imports.end - imports.body) + desc.length),
    ...count,
  ]);
  // Sections are replaced where they stand: [at, end) of the original -> the new parts.
  const edits: { at: number; end: number; parts: Uint8Array[] }[] = [
    {
      at: imports.at,
      end: imports.end,
      parts: [head, bytes.subarray(imports.body, imports.end), Uint8Array.from(desc)],
    },
    { at: memory.at, end: memory.end, parts: [] },
  ];
  const split = data ? splitDataSegments(bytes, data.start, data.end, memory.limits.initial * 65536) : null;
  if (data && split) {
    const n = writeU32(split.passive.length);
    const size = split.passive.reduce((s, p) => s + p.length, n.length);
    edits.push({
      at: data.at,
      end: data.end,
      parts: [Uint8Array.from([11, ...writeU32(size), ...n]), ...split.passive],
    });
    if (dataCount)
      edits.push({ at: dataCount.at, end: dataCount.end, parts: [Uint8Array.from([12, ...sized(n)])] });
  }
  edits.sort((a, b) => a.at - b.at);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const e of edits) {
    parts.push(bytes.subarray(from, e.at), ...e.parts);
    from = e.end;
  }
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { bytes: out, limits: memory.limits, image: split ? split.image : null };
}

/**
 * Memories for one rewritten module: taken for a call, given back after it. A memory is
 * handed out zeroed with the image written; it comes back only at its initial size (a grown
 * one is dropped). Zeroing happens when a spare memory is taken again, not when it is given
 * back: a one-shot process (a CLI plugin call) never pays for zeroing pages nobody reuses.
 */
export class MemoryPool {
  private spare: WasmMemory | null = null;

  constructor(
    readonly limits: MemoryLimits,
    private readonly Memory: MemoryCtor,
    private readonly image: MemoryImage | null = null,
  ) {}

  /** A memory at its initial size holding exactly what instantiation would have put there. */
  take(): WasmMemory {
    const spare = this.spare;
    this.spare = null;
    if (spare) new Uint8Array(spare.buffer).fill(0);
    const m = spare ?? new this.Memory(this.limits);
    if (this.image) writeImage(this.image, m.buffer);
    return m;
  }

  /** Returns a memory after a call: kept (dirty, zeroed on reuse) if still at its initial size. */
  give(m: WasmMemory): void {
    if (m.buffer.byteLength !== this.limits.initial * 65536) return;
    this.spare = m;
  }
}

function importsMemory(bytes: Uint8Array, at: number, count: number): boolean {
  let p = at;
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < 2; s++) {
      const [len, k] = readU32(bytes, p);
      p += k + len;
    }
    const kind = bytes[p++] as number;
    if (kind === 2) return true;
    if (kind === 0)
      p += readU32(bytes, p)[1]; // type index
    else if (kind === 1) {
      p++; // reftype
      const flags = bytes[p++] as number;
      p += readU32(bytes, p)[1];
      if (flags & 1) p += readU32(bytes, p)[1];
    } else if (kind === 3)
      p += 2; // valtype, mutability
    else return true; // tags or unknown kinds: do not rewrite
  }
  return false;
}

function name(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [...writeU32(b.length), ...b];
}

/** A section body prefixed with its size. */
function sized(body: number[]): number[] {
  return [...writeU32(body.length), ...body];
}
