import { valueTypeCodes } from "./engine-abi.js";

/** A script the engine evaluates at snapshot time, in order. */
export interface InitScript {
  filename: string;
  source: string;
}

/** What `capstan_init` reads from stdin. */
export interface InitInput {
  exports: string[];
  imports: Array<{
    name: string;
    params: Array<"I32" | "I64" | "F32" | "F64">;
    result: "I32" | "I64" | "F32" | "F64" | null;
  }>;
  scripts: InitScript[];
}

/** Encodes the engine's init input (format documented in packages/engine/README.md). */
export function encodeInitInput(input: InitInput): Uint8Array {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    parts.push(b);
  };
  const str = (s: string) => {
    const b = enc.encode(s);
    u32(b.length);
    parts.push(b);
  };
  parts.push(enc.encode("CAPSTAN\0"));
  u32(1);
  u32(input.exports.length);
  for (const e of input.exports) str(e);
  u32(input.imports.length);
  for (const i of input.imports) {
    str(i.name);
    parts.push(
      Uint8Array.of(
        i.params.length,
        ...i.params.map((p) => valueTypeCodes[p]),
        valueTypeCodes[i.result ?? "void"],
      ),
    );
  }
  u32(input.scripts.length);
  for (const s of input.scripts) {
    str(s.filename);
    str(s.source);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
