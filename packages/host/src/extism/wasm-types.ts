// Minimal WebAssembly JS API types: the repository compiles without the DOM lib and
// @types/node 20 declares no `WebAssembly` namespace, so the runtime names what it uses here.

/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}
/** A linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
/** An instance; exports are functions, memories, globals or tables. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
/** One import or export of a module. */
export interface WasmDescriptor {
  module: string;
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}
/** The subset of the `WebAssembly` namespace the runtime uses. */
export interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: {
    imports(m: WasmModule): WasmDescriptor[];
    exports(m: WasmModule): { name: string; kind: string }[];
  };
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (d: { initial: number; maximum: number }) => WasmMemory;
}
