// Links engine.wasm for one interface with binaryen, BEFORE the snapshot: one `() -> i32`
// export per interface export (calling capstan_call(i), i = its position: the engine binds it
// to module.exports[name] by NAME), the extism:host/user imports, and a generated dispatcher
// replacing the engine's `capstan:shim.host_dispatch` placeholder import. The result depends
// only on engine.wasm and the interface, so it is cached on disk (binaryen is the slowest step).
import { createHash } from "node:crypto";
import { engineExports, hostDispatchImport } from "@capstan/engine";
import { CompilerError } from "../errors.js";
import type { PluginInterface, ValueType } from "../interface/types.js";
import { cacheRead, cacheWrite } from "./disk-cache.js";
import { type CompileTarget, MISSING_KERNEL_IMPORTS } from "./target.js";

type Binaryen = typeof import("binaryen").default;

let loaded: Promise<Binaryen> | undefined;
/** Loads binaryen (a large Wasm module) once per process. */
export function loadBinaryen(): Promise<Binaryen> {
  loaded ??= import("binaryen").then((m) => m.default);
  return loaded;
}

/** The Wasm features engine.wasm is built with (build-engine.mjs: bulk memory, sign-ext, ...). */
export function engineFeatures(b: Binaryen): number {
  const f = b.Features;
  return f.MVP | f.MutableGlobals | f.SignExt | f.BulkMemory | f.BulkMemoryOpt | f.NontrappingFPToInt;
}

/** The engine linked for `iface` (from the cache when possible). */
export async function linkEngine(
  engineBytes: Uint8Array,
  iface: PluginInterface,
  target: CompileTarget = "extism",
): Promise<Uint8Array> {
  const key = createHash("sha256")
    .update(engineBytes)
    .update(JSON.stringify({ v: LINK_VERSION, exports: iface.exports, imports: iface.imports, target }))
    .digest("hex");
  const cached = cacheRead("engine-link", key);
  if (cached) return cached;
  const linked = await link(engineBytes, iface, target);
  cacheWrite("engine-link", key, linked);
  return linked;
}

/** Bump when link() changes what it emits. */
const LINK_VERSION = 1;

async function link(
  engineBytes: Uint8Array,
  iface: PluginInterface,
  target: CompileTarget,
): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const m = b.readBinary(engineBytes);
  try {
    m.setFeatures(engineFeatures(b));
    const wasmType = (t: ValueType): number => ({ I32: b.i32, I64: b.i64, F32: b.f32, F64: b.f64 })[t];

    // Find the placeholder import and the call entry point by their external names.
    let dispatchName: string | undefined;
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = b.getFunctionInfo(m.getFunctionByIndex(i));
      if (info.module === hostDispatchImport.module && info.base === hostDispatchImport.name)
        dispatchName = info.name;
    }
    const callExport = m.getExport(engineExports.call);
    if (!dispatchName || !callExport)
      throw new CompilerError(
        "COMPILER_ENGINE",
        "engine.wasm lacks the capstan ABI (rebuild @capstan/engine)",
      );
    const callName = b.getExportInfo(callExport).value;

    // Host imports: extism:host/user.<name>.
    iface.imports.forEach((imp, k) => {
      m.addFunctionImport(
        `capstan_user_${k}`,
        "extism:host/user",
        imp.name,
        b.createType(imp.params.map(wasmType)),
        imp.result ? wasmType(imp.result) : b.none,
      );
    });

    // Dispatcher: (index, args, result) -> i32; args are 8-byte slots.
    const idx = () => m.local.get(0, b.i32);
    const args = () => m.local.get(1, b.i32);
    const res = () => m.local.get(2, b.i32);
    const load = (t: ValueType, slot: number) => {
      const off = slot * 8;
      switch (t) {
        case "I32":
          return m.i32.load(off, 4, args());
        case "I64":
          return m.i64.load(off, 8, args());
        case "F32":
          return m.f32.load(off, 4, args());
        case "F64":
          return m.f64.load(off, 8, args());
      }
    };
    const store = (t: ValueType, v: number) => {
      switch (t) {
        case "I32":
          return m.i32.store(0, 4, res(), v);
        case "I64":
          return m.i64.store(0, 8, res(), v);
        case "F32":
          return m.f32.store(0, 4, res(), v);
        case "F64":
          return m.f64.store(0, 8, res(), v);
      }
    };
    const cases = iface.imports.map((imp, k) => {
      const call = m.call(
        `capstan_user_${k}`,
        imp.params.map((p, j) => load(p, j)),
        imp.result ? wasmType(imp.result) : b.none,
      );
      const body = imp.result ? store(imp.result, call) : call;
      return m.if(m.i32.eq(idx(), m.i32.const(k)), m.block(null, [body, m.return(m.i32.const(0))]));
    });
    m.removeFunction(dispatchName);
    m.addFunction(
      dispatchName,
      b.createType([b.i32, b.i32, b.i32]),
      b.i32,
      [],
      m.block(null, [...cases, m.i32.const(-1)], b.i32),
    );

    defineMissingImports(b, m, MISSING_KERNEL_IMPORTS[target]);

    // Exports, bound by name in the engine (the index only selects the name). The engine's own
    // exports stay for Wizer; finalize() drops them from the snapshot.
    iface.exports.forEach((exp, k) => {
      const fn = `capstan_export_${k}`;
      m.addFunction(fn, b.none, b.i32, [], m.call(callName, [m.i32.const(k)], b.i32));
      m.addFunctionExport(fn, exp.name);
    });
    if (!m.validate())
      throw new CompilerError(
        "COMPILER_REWRITE",
        "the rewritten plugin module does not validate (compiler bug)",
      );
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** Replaces the kernel imports `names` (extism:host/env) by functions inside the module, for
 *  hosts that lack them (pipeline/target.ts says what each one becomes). */
function defineMissingImports(
  b: Binaryen,
  m: InstanceType<Binaryen["Module"]>,
  names: readonly string[],
): void {
  if (names.length === 0) return;
  const internal = new Map<string, string>();
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const info = b.getFunctionInfo(m.getFunctionByIndex(i));
    if (info.module === "extism:host/env" && info.base) internal.set(info.base, info.name);
  }
  const define = (base: string, params: number, result: number, body: () => number) => {
    const name = internal.get(base);
    if (!names.includes(base) || name === undefined) return;
    m.removeFunction(name);
    m.addFunction(name, params, result, [], body());
  };
  define("http_headers", b.none, b.i64, () => m.i64.const(0n as unknown as number));
  define("get_log_level", b.none, b.i32, () => m.i32.const(0));
  const debug = internal.get("log_debug");
  define("log_trace", b.createType([b.i64]), b.none, () =>
    debug ? m.call(debug, [m.local.get(0, b.i64)], b.none) : m.nop(),
  );
}
