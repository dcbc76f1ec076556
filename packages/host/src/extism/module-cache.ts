// Each plugin.wasm is compiled to a WasmModule once per process and shared by every
// call (a fresh instance per call is cheap; compiling is not). The key holds what changes the
// compiled bytes: path, mtime, size and the memory cap rewritten into the module.
// The file is read synchronously: a few hundred KB from the page cache cost less than two
// round trips through libuv's thread pool, and node:fs/promises stays unloaded (it pulls in
// node's stream code: milliseconds on every CLI start).
// `pooled` compiles the variant that imports its memory (memory-pool.ts), for inline calls.
// Runtimes open the module as is and switch to the pooled variant from a module's second call
// on (moduleForCall): making that variant (rewriting the module, joining ~3,000 data segments
// of a QuickJS heap into an image, compiling again) only pays back over repeated calls, and a
// CLI plugin call is one call per process.
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { RuntimeError } from "../errors.js";
import { PLUGIN_WASM_HINT } from "../installed/plugin-wasm.js";
import { MainWebAssembly } from "./deadline.js";
import { capMemoryPages, MemoryLimitError } from "./memory-limit.js";
import { importOwnMemory, MemoryPool } from "./memory-pool.js";
import type { WasmModule } from "./wasm-types.js";

const cache = new Map<string, Promise<WasmModule>>();
const pools = new WeakMap<WasmModule, MemoryPool>();

/** Where a module compiled as is came from, to make its pooled variant on its second call. */
interface Origin {
  path: string;
  maxPages: number;
  pluginName: string;
  /** mtime and size when it was read: a changed file is not swapped in under a runtime. */
  stamp: string;
  calls: number;
  pooled: Promise<WasmModule | null> | null;
}
const origins = new WeakMap<WasmModule, Origin>();

/**
 * The module to instantiate for the next inline call of `module` (one compiled as is): itself
 * for its first call, its pooled variant afterwards (compiled once, shared by every runtime of
 * the module). Falls back to `module` when the variant cannot be made (file changed or gone).
 */
export async function moduleForCall(module: WasmModule): Promise<WasmModule> {
  const o = origins.get(module);
  if (!o) return module;
  o.calls++;
  if (o.calls < 2) return module;
  o.pooled ??= pooledVariant(o);
  return (await o.pooled) ?? module;
}

async function pooledVariant(o: Origin): Promise<WasmModule | null> {
  try {
    if (stampOf(o.path) !== o.stamp) return null;
    return await compileModule(o.path, o.maxPages, o.pluginName, true);
  } catch {
    return null;
  }
}

function stampOf(path: string): string {
  const st = statSync(path);
  return `${st.mtimeMs}\0${st.size}`;
}

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
  let stamp: string;
  try {
    stamp = stampOf(path);
    key = `${path}\0${stamp}\0${maxPages}\0${pooled}`;
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
    if (!pooled) {
      compiled = compiled.then((module) => {
        origins.set(module, { path, maxPages, pluginName, stamp, calls: 0, pooled: null });
        return module;
      });
    }
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
  const bytes = readWithRoom(path);
  let capped: Uint8Array;
  try {
    capped = capMemoryPages(bytes, maxPages, ROOM);
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
    if (imported) pools.set(module, new MemoryPool(imported.limits, MainWebAssembly.Memory, imported.image));
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

/** Free bytes before the module as read: capMemoryPages grows the memory section into them. */
const ROOM = 16;

/** The file's bytes after ROOM free bytes (uninitialized: nothing zeroes a megabyte first). */
function readWithRoom(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(ROOM + size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, ROOM + got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, ROOM + got);
  } finally {
    closeSync(fd);
  }
}
