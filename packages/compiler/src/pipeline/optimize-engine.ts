// engine.wasm optimized for size and speed with binaryen's -Os passes, once per engine build.
// wasm-opt used to run on every plugin (seconds per build, a few percent, and only where a binary
// was on PATH: docs/decisions.md); optimizing the ENGINE instead is done once and cached on disk,
// named by the hash of the engine's bytes and of these settings, so a rebuilt engine never meets
// an optimized copy of an older one. A smaller code section is what every plugin call compiles
// (Liftoff) before it runs, so it is start-up time too. The snapshot heap is not touched: the
// optimized engine is what gets linked and snapshotted.
import { createHash } from "node:crypto";
import { cacheRead, cacheWrite } from "./disk-cache.js";
import { engineFeatures, loadBinaryen } from "./link.js";

/** Bump when the passes or binaryen change what they emit. */
const OPT_VERSION = 1;
const OPTIMIZE_LEVEL = 2;
const SHRINK_LEVEL = 1; // -Os

/** Optimizations in progress (parallel compiles of one process share one). */
const inflight = new Map<string, Promise<Uint8Array>>();

/** engine.wasm optimized (from the disk cache when this engine was optimized before). */
export function optimizedEngine(engineBytes: Uint8Array): Promise<Uint8Array> {
  const key = createHash("sha256")
    .update(engineBytes)
    .update(JSON.stringify({ v: OPT_VERSION, o: OPTIMIZE_LEVEL, s: SHRINK_LEVEL }))
    .digest("hex");
  let p = inflight.get(key);
  if (!p) {
    p = load(key, engineBytes).finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

async function load(key: string, engineBytes: Uint8Array): Promise<Uint8Array> {
  const cached = cacheRead("engine-opt", key);
  // A truncated or corrupt entry (a full disk, an interrupted copy) is redone, not linked.
  if (
    cached &&
    (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(
      cached,
    )
  )
    return cached;
  const optimized = await optimize(engineBytes);
  cacheWrite("engine-opt", key, optimized);
  return optimized;
}

async function optimize(engineBytes: Uint8Array): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const m = b.readBinary(engineBytes);
  const [level, shrink, debug] = [b.getOptimizeLevel(), b.getShrinkLevel(), b.getDebugInfo()];
  try {
    m.setFeatures(engineFeatures(b));
    b.setOptimizeLevel(OPTIMIZE_LEVEL);
    b.setShrinkLevel(SHRINK_LEVEL);
    b.setDebugInfo(false);
    m.optimize();
    return m.emitBinary();
  } finally {
    b.setOptimizeLevel(level);
    b.setShrinkLevel(shrink);
    b.setDebugInfo(debug);
    m.dispose();
  }
}
