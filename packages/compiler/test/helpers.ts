// Test helpers: run a compiled plugin through the real Extism JS SDK.
import { createPlugin } from "@extism/extism";

type HostFns = Record<string, (ctx: unknown, ...args: never[]) => unknown>;

/** A fresh plugin instance from module bytes (WASI on, as every Capstan plugin needs). */
export async function instantiate(
  wasm: Uint8Array,
  opts: {
    config?: Record<string, string>;
    functions?: HostFns;
    logs?: string[];
    worker?: boolean;
    allowedHosts?: string[];
  } = {},
) {
  const logs = opts.logs;
  const sink = (level: string) => (msg: string) => logs?.push(`${level}: ${msg}`);
  return createPlugin({ wasm: [{ data: new Uint8Array(wasm) }] }, {
    useWasi: true,
    runInWorker: opts.worker === true,
    config: opts.config ?? {},
    functions: opts.functions ? { "extism:host/user": opts.functions } : undefined,
    allowedHosts: opts.allowedHosts,
    allowHttpResponseHeaders: true,
    logger: {
      trace: sink("trace"),
      debug: sink("debug"),
      info: sink("info"),
      warn: sink("warn"),
      error: sink("error"),
      log: sink("log"),
    } as unknown as Console,
    logLevel: "trace",
  } as Parameters<typeof createPlugin>[1]);
}

/** Calls an export; returns its text output, or the error message. */
export async function callText(
  plugin: Awaited<ReturnType<typeof instantiate>>,
  name: string,
  input: string | Uint8Array = "",
): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    const out = await plugin.call(name, input);
    return { ok: true, text: out ? out.text() : "" };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

interface WasmReflect {
  Module: {
    new (b: Uint8Array): object;
    imports(m: object): Array<{ module: string; name: string }>;
    exports(m: object): Array<{ name: string }>;
  };
}
/** Import module names and export names of a Wasm module (WebAssembly is untyped here). */
export function moduleShape(wasm: Uint8Array): {
  importModules: string[];
  imports: string[];
  exports: string[];
} {
  const W = (globalThis as unknown as { WebAssembly: WasmReflect }).WebAssembly;
  const mod = new W.Module(new Uint8Array(wasm));
  const imports = W.Module.imports(mod);
  return {
    importModules: [...new Set(imports.map((i) => i.module))].sort(),
    imports: imports.map((i) => `${i.module}.${i.name}`),
    exports: W.Module.exports(mod).map((e) => e.name),
  };
}
