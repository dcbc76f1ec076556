// Each plugin.wasm is compiled to a WasmModule once per process and shared by every
// call (a fresh instance per call is cheap; compiling is not). The key holds what changes the
// compiled bytes: path, mtime, size and the memory cap rewritten into the module.
// The file is read synchronously: a few hundred KB from the page cache cost less than two
// round trips through libuv's thread pool, and node:fs/promises stays unloaded (it pulls in
// node's stream code: milliseconds on every CLI start).
// `pooled` compiles the variant that imports its memory (memory-pool.ts), for inline calls.
import { readFileSync, statSync } from "node:fs";
import { RuntimeError } from "../errors.js";
import { PLUGIN_WASM_HINT } from "../installed/plugin-wasm.js";
import { MainWebAssembly } from "./deadline.js";
import { capMemoryPages, MemoryLimitError } from "./memory-limit.js";
import { importOwnMemory, MemoryPool } from "./memory-pool.js";
import type { WasmModule } from "./wasm-types.js";

const cache = new Map<string, Promise<WasmModule>>();
const pools = new WeakMap<WasmModule, MemoryPool>();

/** The memory pool of a module compiled with `pooled` (null: it defines its own memory). */
export function memoryPoolOf(module: WasmModule): MemoryPool | null {
  return pools.get(module) ?? null;
}

/** Compiles (or reuses) `path` with its memory capped at `maxPages`. */
export async function compileModule(
  path: string,
  maxPages: number,
  pluginName: string,
  pooled = false,
): Promise<WasmModule> {
  let key: string;
  try {
    const st = statSync(path);
    key = `${path}\0${st.mtimeMs}\0${st.size}\0${maxPages}\0${pooled}`;
  } catch (e) {
    throw new RuntimeError(
      "invalid-wasm",
      `plugin "${pluginName}": cannot read ${path}: ${(e as Error).message}`,
      {
        hint: PLUGIN_WASM_HINT,
        cause: e,
      },
    );
  }
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compile(path, maxPages, pluginName, pooled);
    cache.set(key, compiled);
    compiled.catch(() => cache.delete(key));
  }
  return compiled;
}

async function compile(
  path: string,
  maxPages: number,
  pluginName: string,
  pooled: boolean,
): Promise<WasmModule> {
  const bytes = readFileSync(path);
  let capped: Uint8Array;
  try {
    capped = capMemoryPages(bytes, maxPages);
  } catch (e) {
    if (e instanceof MemoryLimitError && /needs \d+ pages/.test(e.message)) {
      throw new RuntimeError(
        "memory",
        `plugin "${pluginName}" (${path}): ${e.message} (runtimeConfig.memory.maxPages)`,
        {
          hint: "raise runtimeConfig.memory.maxPages in plugin.yaml",
        },
      );
    }
    throw new RuntimeError(
      "invalid-wasm",
      `plugin "${pluginName}": ${path} is not a valid Wasm module: ${(e as Error).message}`,
      {
        hint: "rebuild plugin.wasm",
      },
    );
  }
  const imported = pooled ? importOwnMemory(capped) : null;
  try {
    const module = await MainWebAssembly.compile(imported?.bytes ?? capped);
    if (imported) pools.set(module, new MemoryPool(imported.limits, MainWebAssembly.Memory));
    return module;
  } catch (e) {
    throw new RuntimeError(
      "invalid-wasm",
      `plugin "${pluginName}": ${path} is not a valid Wasm module: ${(e as Error).message}`,
      {
        hint: "rebuild plugin.wasm",
        cause: e,
      },
    );
  }
}
