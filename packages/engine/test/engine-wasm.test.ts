// engine.wasm's own ABI: what it imports and exports (the compiler relies on these names).
import { readFileSync } from "node:fs";
import { expect, test } from "@jest/globals";
import {
  encodeInitInput,
  engineExports,
  engineWasmPath,
  hostDispatchImport,
  kernelImports,
} from "../src/index.js";

interface WasmReflect {
  Module: {
    new (b: Uint8Array): object;
    imports(m: object): Array<{ module: string; name: string }>;
    exports(m: object): Array<{ name: string }>;
  };
}
const W = (globalThis as unknown as { WebAssembly: WasmReflect }).WebAssembly;

test("engine.wasm imports only the kernel, WASI and the host-dispatch placeholder", () => {
  const mod = new W.Module(new Uint8Array(readFileSync(engineWasmPath())));
  const imports = W.Module.imports(mod);
  const kernel = imports.filter((i) => i.module === "extism:host/env").map((i) => i.name);
  expect(kernel.sort()).toEqual(kernelImports.map((k) => k.name).sort());
  expect(imports.filter((i) => i.module === hostDispatchImport.module).map((i) => i.name)).toEqual([
    hostDispatchImport.name,
  ]);
  const others = imports.filter((i) => !["extism:host/env", hostDispatchImport.module].includes(i.module));
  expect(new Set(others.map((i) => i.module))).toEqual(new Set(["wasi_snapshot_preview1"]));
  const exports = W.Module.exports(mod).map((e) => e.name);
  expect(exports).toEqual(expect.arrayContaining(["memory", engineExports.init, engineExports.call]));
});

test("init input encoding", () => {
  const bytes = encodeInitInput({
    exports: ["a"],
    imports: [{ name: "f", params: ["I32", "F64"], result: null }],
    scripts: [{ filename: "x.js", source: "1" }],
  });
  const text = new TextDecoder().decode(bytes.subarray(0, 8));
  expect(text).toBe("CAPSTAN\0");
  expect(Array.from(bytes.subarray(8))).toEqual([
    1,
    0,
    0,
    0, // version
    1,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    97, // exports: ["a"]
    1,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    102,
    2,
    1,
    4,
    0, // imports: f(I32, F64): void
    1,
    0,
    0,
    0,
    4,
    0,
    0,
    0,
    120,
    46,
    106,
    115,
    1,
    0,
    0,
    0,
    49, // scripts
  ]);
});
