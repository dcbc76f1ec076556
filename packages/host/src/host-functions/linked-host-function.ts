// One shape for every host function a module links, built-in (JSON block in, JSON reply out)
// or an embedder's (typed, define-host-function.ts): its Wasm-level signature and an `invoke`
// that takes the arguments with memory handles already read into bytes and returns the result
// in wire form (bytes for a handle result). Both isolation modes call `invoke` on the main
// thread: inline directly, the worker through its synchronous request.
import { RuntimeError } from "../errors.js";
import { HostTrap } from "../extism/host-trap.js";
import type { CustomHostFunction, HostValueType } from "./define-host-function.js";
import type { HostFunction, HostFunctionContext } from "./host-function.js";
import { hostFunctionRegistry } from "./registry.js";

/** A parameter or result at the Wasm level: a kernel memory handle (i64) or a number. */
export type WireKind = "handle" | "i32" | "i64" | "f32" | "f64";

/** A value crossing the Wasm boundary, handles read: bytes (null for handle 0), or a number. */
export type WireValue = Uint8Array | null | number | bigint;

/** A host function as linked into a module. */
export interface LinkedHostFunction {
  name: string;
  params: WireKind[];
  results: WireKind[];
  /** `invoke` may return a Promise (only worker isolation can wait for it). */
  async: boolean;
  prepare?: () => Promise<void>;
  /** Runs the function; the result is bytes for a handle result, a number otherwise, undefined for none. */
  invoke(args: WireValue[], ctx: HostFunctionContext): WireValue | undefined | Promise<WireValue | undefined>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A built-in: `(i64) -> i64`, JSON in, `{"result", "error"}` out (docs/host-functions.md). */
export function linkBuiltin(fn: HostFunction): LinkedHostFunction {
  return {
    name: fn.name,
    params: ["handle"],
    results: ["handle"],
    async: false,
    prepare: fn.prepare,
    invoke([input], ctx) {
      let reply: { result: unknown; error: string | null };
      try {
        const value = input instanceof Uint8Array ? JSON.parse(decoder.decode(input)) : null;
        reply = { result: fn.run(value, ctx) ?? null, error: null };
      } catch (e) {
        reply = { result: null, error: `${fn.name}: ${(e as Error).message}` };
      }
      return encoder.encode(JSON.stringify(reply));
    },
  };
}

const wireOf = (t: HostValueType): WireKind =>
  t === "string" || t === "bytes" || t === "json" ? "handle" : t;

/** An embedder's function: arguments decoded by type, the result encoded, failures RuntimeError "host-function". */
export function linkCustom(fn: CustomHostFunction): LinkedHostFunction {
  const fail = (e: unknown, ctx: HostFunctionContext): never => {
    if ((e as HostTrap | null)?.capstanTrap === true) throw e;
    throw new HostTrap(
      "host-function",
      `host function "${fn.name}" failed while plugin "${ctx.pluginName}" called it: ${(e as Error)?.message ?? String(e)}`,
      "the error comes from the host program's own function (hostFunctions option), not from Capstan or the plugin's code",
    );
  };
  const encode = (value: unknown, ctx: HostFunctionContext): WireValue | undefined => {
    const t = fn.results[0];
    try {
      switch (t) {
        case undefined:
          return undefined;
        case "string":
          if (typeof value !== "string") throw new Error(`returned ${typeof value}, not a string`);
          return encoder.encode(value);
        case "bytes":
          if (!ArrayBuffer.isView(value)) throw new Error(`returned ${typeof value}, not bytes (Uint8Array)`);
          return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
        case "json": {
          const text = JSON.stringify(value);
          if (text === undefined) throw new Error(`returned ${typeof value}, which JSON cannot represent`);
          return encoder.encode(text);
        }
        case "i64":
          return BigInt.asIntN(64, BigInt(value as bigint | number));
        default:
          if (typeof value !== "number") throw new Error(`returned ${typeof value}, not a number`);
          return value;
      }
    } catch (e) {
      return fail(e, ctx);
    }
  };
  return {
    name: fn.name,
    params: fn.params.map(wireOf),
    results: fn.results.map(wireOf),
    async: fn.async,
    invoke(args, ctx) {
      let out: unknown;
      try {
        const values = fn.params.map((t, i) => {
          const a = args[i];
          if (t === "string") return a instanceof Uint8Array ? decoder.decode(a) : "";
          // A copy: the argument is a view of the plugin's memory, which `run` may outlive.
          if (t === "bytes") return a instanceof Uint8Array ? a.slice() : new Uint8Array(0);
          if (t === "json") {
            if (!(a instanceof Uint8Array)) return null;
            try {
              return JSON.parse(decoder.decode(a));
            } catch {
              throw new Error(`argument ${i + 1} is not JSON`);
            }
          }
          return a;
        });
        out = fn.run(ctx, ...values);
      } catch (e) {
        return fail(e, ctx);
      }
      if (out !== null && typeof (out as Promise<unknown>)?.then === "function") {
        if (!fn.async) {
          (out as Promise<unknown>).catch(() => {}); // refused below; its rejection is not unhandled
          throw new HostTrap(
            "host-function",
            `host function "${fn.name}" returned a Promise but is not declared async`,
            'declare it with async: true (or as an async function) and open the plugin with isolation: "worker"',
          );
        }
        return (out as Promise<unknown>).then(
          (v) => encode(v, ctx),
          (e) => fail(e, ctx),
        );
      }
      return encode(out, ctx);
    },
  };
}

/**
 * The embedder's functions by name, checked for this runtime: no two of one name, none named
 * like a built-in, and async ones only with worker isolation. Throws RuntimeError "host-function".
 */
export function customHostFunctions(
  fns: readonly CustomHostFunction[],
  isolation: "inline" | "worker",
  pluginName: string,
): Map<string, LinkedHostFunction> {
  const map = new Map<string, LinkedHostFunction>();
  for (const fn of fns) {
    const subject = `plugin "${pluginName}": host function "${fn?.name}"`;
    if (fn?.kind !== "custom") {
      throw new RuntimeError("host-function", `${subject} was not made by defineHostFunction`, {
        hint: "wrap the definition in defineHostFunction({...}) from @capstan/host",
      });
    }
    if (hostFunctionRegistry.has(fn.name)) {
      throw new RuntimeError("host-function", `${subject} has the name of a Capstan built-in`, {
        hint: "rename it (a prefix of your program's name avoids clashes); built-ins are in docs/host-functions.md",
      });
    }
    if (map.has(fn.name)) {
      throw new RuntimeError("host-function", `${subject} is registered twice`, {
        hint: "give each host function its own name",
      });
    }
    if (fn.async && isolation !== "worker") {
      throw new RuntimeError("host-function", `${subject} is async, which inline isolation cannot wait for`, {
        hint: 'open the plugin with isolation: "worker" (the plugin waits while this thread runs the function), or make the function synchronous',
      });
    }
    map.set(fn.name, linkCustom(fn));
  }
  return map;
}
