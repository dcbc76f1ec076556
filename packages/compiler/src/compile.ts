// The compiler pipeline: bundle -> link engine.wasm for the interface (binaryen, cached) ->
// Wizer snapshot after evaluating bootstrap, prelude and bundle -> finalize (drop internal
// exports, merge data segments) -> optional wasm-opt.
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
import { optimize } from "./pipeline/optimize.js";
import { preloadScript } from "./pipeline/preload.js";
import { loadPrelude } from "./pipeline/prelude.js";
import { snapshot } from "./pipeline/snapshot.js";
import { BUNDLE_FILENAME, stackMapperScript } from "./pipeline/stack-mapper.js";
import type { CompileTarget } from "./pipeline/target.js";

/** Inputs of one compilation. */
export interface CompileOptions {
  /** The plugin entry (TS or JS); bundled with its npm dependencies. */
  entry: string;
  /** Interface file path; when absent, `iface` or the Helm default `helm_plugin_main(): I32`. */
  interfaceFile?: string;
  iface?: PluginInterface;
  /** Where to write plugin.wasm (omit to only return the bytes). */
  output?: string;
  /** Skip wasm-opt. */
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

/** Result: the module bytes plus sizes and step timings in ms. */
export interface CompileResult {
  wasm: Uint8Array;
  output?: string;
  iface: PluginInterface;
  timings: Record<string, number>;
  optimized: boolean;
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
  const linked = await linkEngine(new Uint8Array(readFileSync(engineWasmPath())), iface, opts.target);
  lap("link");
  opts.onStep?.("snapshot");
  const snap = await snapshot(linked, init, iface.imports);
  let wasm = finalize(snap, [engineExports.call, engineExports.init, "_initialize"]);
  lap("snapshot");
  let optimized = false;
  if (!opts.skipOpt) {
    opts.onStep?.("optimize");
    const o = optimize(wasm);
    wasm = o.bytes;
    optimized = o.ran;
    lap("optimize");
  }
  let output: string | undefined;
  if (opts.output) {
    output = resolve(opts.output);
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, wasm);
  }
  return { wasm, output, iface, timings, optimized };
}
