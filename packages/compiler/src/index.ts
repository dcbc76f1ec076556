// @capstan/compiler: TS -> plugin.wasm: bundle, snapshot, exports, codegen (bin: capstan-js).
export const packageName = "@capstan/compiler";
