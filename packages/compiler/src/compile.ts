// The compiler pipeline: bundle -> optimize engine.wasm (binaryen -Os, once per engine build,
// cached) -> link it for the interface (binaryen, cached) -> Wizer snapshot after evaluating
// bootstrap, prelude and bundle -> finalize (drop internal exports, merge data segments). No
// per-plugin optimization pass and no wasm-opt binary: it cannot shrink the snapshot heap, cost
// seconds per build, and depended on what was on PATH (docs/decisions.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { encodeInitInput, engineBuilt, engineExports, engineWasmPath } from "@capstan/engine";
import { CompilerError } from "./errors.js";
import { defaultInterface, parseInterface } from "./interface/parse-interface.js";
import type { PluginInterface } from "./interface/types.js";
import { type Bundle, bundle } from "./pipeline/bundle.js";
import { finalize } from "./pipeline/finalize.js";
import { linkEngine } from "./pipeline/link.js";
import { MODULE_SHIM } from "./pipeline/module-shim.js";
import { optimizedEngine } from "./pipeline/optimize-engine.js";
import { preloadScript } from "./pipeline/preload.js";
import { loadPrelude } from "./pipeline/prelude.js";
import { snapshot } from "./pipeline/snapshot.js";
import { BUNDLE_FILENAME, stackMapperScript } from "./pipeline/stack-mapper.js";
import type { CompileTarget } from "./pipeline/target.js";
import { sections } from "./pipeline/wasm-sections.js";

/** Inputs of one compilation. */
export interface CompileOptions {
  /** The plugin entry (TS or JS); bundled with its npm dependencies. */
  entry: string;
  /** Interface file path; when absent, `iface` or the Helm default `helm_plugin_main(): I32`. */
  interfaceFile?: string;
  iface?: PluginInterface;
  /** Where to write plugin.wasm (omit to only return the bytes). */
  output?: string;
  /** Accepted for extism-js compatibility; no per-plugin optimization pass exists (the engine is optimized once). */
  skipOpt?: boolean;
  /** A prelude script to use instead of @capstan/pdk's. */
  preludeFile?: string;
  /** Directory source-map paths are relative to (default: the entry's directory). */
  baseDir?: string;
  /** Progress callback (step names). */
  onStep?: (step: string) => void;
  /** Which Extism hosts the module must load in (pipeline/target.ts); default "extism". */
  target?: CompileTarget;
}

/**
 * What plugin.wasm is made of, in bytes: the engine's code section, the snapshot heap (data
 * section: what evaluating prelude and bundle left alive, the source map included) and the
 * rest; plus the bundle and its source map as evaluated, and the bundle's largest inputs.
 */
export interface CompileSizes {
  total: number;
  engineCode: number;
  snapshotHeap: number;
  other: number;
  bundle: number;
  sourceMap: number;
  largestInputs: Array<{ path: string; bytes: number }>;
}

/** Result: the module bytes plus sizes and step timings in ms. */
export interface CompileResult {
  wasm: Uint8Array;
  output?: string;
  iface: PluginInterface;
  timings: Record<string, number>;
  sizes: CompileSizes;
}

/** Sizes of `wasm` by part (see CompileSizes). */
function sizesOf(wasm: Uint8Array, bundled: Bundle): CompileSizes {
  const secs = sections(wasm);
  const size = (id: number) => secs.filter((s) => s.id === id).reduce((n, s) => n + s.end - s.start, 0);
  const engineCode = size(10);
  const snapshotHeap = size(11);
  return {
    total: wasm.length,
    engineCode,
    snapshotHeap,
    other: wasm.length - engineCode - snapshotHeap,
    bundle: Buffer.byteLength(bundled.code),
    sourceMap: bundled.map.mappings.length + JSON.stringify(bundled.map.sources).length,
    largestInputs: bundled.inputs.slice(0, 5),
  };
}

/** Compiles a plugin entry into a standard Extism plugin module. */
export async function compile(opts: CompileOptions): Promise<CompileResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = now - t;
    t = now;
  };
  if (!existsSync(opts.entry)) throw new CompilerError("COMPILER_INPUT", `${opts.entry}: no such file`);
  if (!engineBuilt())
    throw new CompilerError("COMPILER_ENGINE", `${engineWasmPath()} has not been built`, {
      hint: "run `npx pnpm@9.15.9 --filter @capstan/engine build`",
    });
  const iface =
    opts.iface ??
    (opts.interfaceFile
      ? parseInterface(readFileSync(opts.interfaceFile, "utf8"), opts.interfaceFile)
      : defaultInterface);
  opts.onStep?.("bundle");
  const bundled: Bundle = await bundle(opts.entry, opts.baseDir);
  const prelude = loadPrelude(opts.preludeFile);
  lap("bundle");
  const init = encodeInitInput({
    exports: iface.exports.map((e) => e.name),
    imports: iface.imports,
    scripts: [
      { filename: "capstan-bootstrap.js", source: stackMapperScript(bundled.map) },
      prelude,
      { filename: "capstan-module.js", source: MODULE_SHIM },
      { filename: BUNDLE_FILENAME, source: bundled.code },
      { filename: "capstan-preload.js", source: preloadScript(bundled.code) },
    ],
  });
  opts.onStep?.("link");
  const engine = await optimizedEngine(new Uint8Array(readFileSync(engineWasmPath())));
  const linked = await linkEngine(engine, iface, opts.target);
  lap("link");
  opts.onStep?.("snapshot");
  const snap = await snapshot(linked, init, iface.imports);
  const wasm = finalize(snap, [engineExports.call, engineExports.init, "_initialize"]);
  lap("snapshot");
  let output: string | undefined;
  if (opts.output) {
    output = resolve(opts.output);
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, wasm);
  }
  return { wasm, output, iface, timings, sizes: sizesOf(wasm, bundled) };
}
