// Checks a module's imports against what the sandbox provides, before any call: every import
// must be a kernel function ("extism:host/env"), a WASI function, or a host function that
// is either a built-in of the registry granted by runtimeConfig.hostFunctions, or one the
// embedder registered for this runtime (registering grants it). Errors name the import
// (module and name) and the plugin.

import { RuntimeError } from "../errors.js";
import { type LinkedHostFunction, linkBuiltin } from "../host-functions/linked-host-function.js";
import { findHostFunction } from "../host-functions/registry.js";
import { MainWebAssembly } from "./deadline.js";
import { KERNEL_FUNCTIONS } from "./kernel.js";
import { MEMORY_IMPORT } from "./memory-pool.js";
import { memoryPoolOf } from "./module-cache.js";
import type { ExtismPolicy } from "./policy.js";
import { wasiFunctionNames } from "./wasi.js";
import type { WasmModule } from "./wasm-types.js";

/** What a module needs at instantiation. */
export interface LinkPlan {
  /** The module imports wasi_snapshot_preview1. */
  wasi: boolean;
  /** Host functions it imports from extism:host/user. */
  hostFunctions: LinkedHostFunction[];
  /** It imports extism:host/env http_request. */
  http: boolean;
}

const kernelNames = new Set<string>(KERNEL_FUNCTIONS);
const USER = "extism:host/user";

/** Resolves every import or throws RuntimeError("link" | "capability"). */
export async function planLinks(
  module: WasmModule,
  policy: ExtismPolicy,
  wasmPath: string,
  custom: ReadonlyMap<string, LinkedHostFunction> = new Map(),
): Promise<LinkPlan> {
  const subject = `plugin "${policy.name}" (${wasmPath})`;
  for (const name of policy.hostFunctions) {
    if (!findHostFunction(name) && !custom.has(name)) {
      throw new RuntimeError(
        "link",
        `${subject} asks for host function "${name}" (runtimeConfig.hostFunctions), which Capstan does not provide`,
        {
          hint: "see docs/host-functions.md for the host functions Capstan provides",
        },
      );
    }
  }
  const plan: LinkPlan = { wasi: false, hostFunctions: [], http: false };
  let wasiNames: Set<string> | null = null;
  const pooled = memoryPoolOf(module) !== null;
  for (const imp of MainWebAssembly.Module.imports(module)) {
    const what = `"${imp.module}"."${imp.name}"`;
    // The memory Capstan itself moved to an import (memory-pool.ts).
    if (pooled && imp.module === MEMORY_IMPORT.module && imp.name === MEMORY_IMPORT.name) continue;
    if (imp.kind !== "function") {
      throw new RuntimeError(
        "link",
        `${subject} imports ${imp.kind} ${what}; Capstan provides only functions`,
        {
          hint: "rebuild the plugin so that it defines (and exports) its own memory",
        },
      );
    }
    if (imp.module === "extism:host/env") {
      if (!kernelNames.has(imp.name)) throw missing(subject, what, "it is not part of the Extism kernel ABI");
      if (imp.name === "http_request") plan.http = true;
    } else if (imp.module === "wasi_snapshot_preview1") {
      wasiNames ??= await wasiFunctionNames();
      if (!wasiNames.has(imp.name)) throw missing(subject, what, "it is not a WASI preview1 function");
      plan.wasi = true;
    } else if (imp.module === USER) {
      const own = custom.get(imp.name);
      if (own) {
        if (!plan.hostFunctions.includes(own)) plan.hostFunctions.push(own);
        continue;
      }
      const fn = findHostFunction(imp.name);
      if (!fn) throw missing(subject, what, "Capstan has no host function of that name");
      if (!policy.hostFunctions.includes(imp.name)) {
        throw new RuntimeError(
          "capability",
          `${subject} imports host function "${imp.name}" but does not list it in runtimeConfig.hostFunctions`,
          {
            hint: `add "${imp.name}" to runtimeConfig.hostFunctions in plugin.yaml if the plugin should use it`,
          },
        );
      }
      if (!plan.hostFunctions.some((f) => f.name === fn.name)) plan.hostFunctions.push(linkBuiltin(fn));
    } else {
      throw missing(subject, what, `Capstan provides no module "${imp.module}"`);
    }
  }
  return plan;
}

function missing(subject: string, what: string, why: string): RuntimeError {
  return new RuntimeError("link", `${subject} imports ${what}, which the host does not provide: ${why}`, {
    hint: "rebuild the plugin with `capstan plugin build` (or a current Extism PDK); host functions are listed in docs/host-functions.md",
  });
}
