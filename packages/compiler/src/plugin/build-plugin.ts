// `capstan plugin build [dir]`: plugin.yaml + TS entry -> type check -> compile -> plugin.wasm.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadManifest } from "@capstan/manifest";
import { type CompileSizes, compile } from "../compile.js";
import { CompilerError } from "../errors.js";
import { parseInterface } from "../interface/parse-interface.js";
import type { PluginInterface } from "../interface/types.js";
import { mentionsNodeFs, NODE_FS_HINT } from "../pipeline/node-fs.js";
import type { CompileTarget } from "../pipeline/target.js";
import { findEntry, findInterface } from "./find-entry.js";
import { typecheck } from "./typecheck.js";

/** Options of buildPlugin. */
export interface BuildPluginOptions {
  /** Accepted for compatibility; no per-plugin optimization pass exists (the engine is optimized once). */
  skipOpt?: boolean;
  /** Run the TypeScript type check (default true). */
  typecheck?: boolean;
  preludeFile?: string;
  /** Which Extism hosts the module must load in; default "extism" (see compile()). */
  target?: CompileTarget;
  /** Called with "typecheck", "bundle", "link", "snapshot". */
  onProgress?: (step: string) => void;
}

/** What was built. */
export interface BuildPluginResult {
  output: string;
  entry: string;
  interfaceFile?: string;
  size: number;
  /** What the module is made of (engine code, snapshot heap, bundle, source map, inputs). */
  sizes: CompileSizes;
  timings: Record<string, number>;
}

/** Builds plugin.wasm next to the plugin.yaml in `dir`. */
export async function buildPlugin(dir: string, opts: BuildPluginOptions = {}): Promise<BuildPluginResult> {
  const root = resolve(dir);
  const loaded = await loadManifest(root);
  const m = loaded.manifest;
  if (m.runtime !== "extism/v1") {
    throw new CompilerError(
      "COMPILER_RUNTIME",
      `${loaded.file}: runtime is ${m.runtime}; only extism/v1 plugins are compiled to plugin.wasm`,
      {
        hint: "set `runtime: extism/v1` in plugin.yaml",
      },
    );
  }
  const entry = findEntry(root);
  const interfaceFile = findInterface(root);
  const iface: PluginInterface = interfaceFile
    ? parseInterface(readFileSync(interfaceFile, "utf8"), interfaceFile)
    : {
        exports: [{ name: m.extism?.entryFuncName ?? "helm_plugin_main" }],
        // Without an interface file, declared host functions take and return one pointer.
        imports: (m.extism?.hostFunctions ?? []).map((name) => ({ name, params: ["I64"], result: "I64" })),
      };
  const timings: Record<string, number> = {};
  if (opts.typecheck !== false) {
    opts.onProgress?.("typecheck");
    const t0 = performance.now();
    const diags = typecheck(entry, root);
    timings.typecheck = performance.now() - t0;
    if (diags.length > 0) {
      throw new CompilerError("COMPILER_TYPES", `type errors in ${m.name}:\n${diags.join("\n")}`, {
        hint: diags.some(mentionsNodeFs)
          ? NODE_FS_HINT
          : "fix the errors above, then run `capstan plugin build` again",
      });
    }
  }
  const r = await compile({
    entry,
    iface,
    baseDir: root,
    preludeFile: opts.preludeFile,
    target: opts.target,
    output: join(root, "plugin.wasm"),
    onStep: opts.onProgress,
  });
  return {
    output: r.output as string,
    entry,
    interfaceFile,
    size: r.wasm.length,
    sizes: r.sizes,
    timings: { ...timings, ...r.timings },
  };
}
