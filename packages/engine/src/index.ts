// @capstan/engine: QuickJS + C glue -> engine.wasm (built from registry sources).
export const packageName = "@capstan/engine";
