// Host: the plugin's input and output, host functions, base64 helpers (js-pdk `Host`).
import { base64Decode, base64Encode } from "./base64-codec.js";
import { defineGlobal } from "./define.js";
import { type KernelHostFunction, kernel } from "./kernel.js";
import { bytesOf, exactBuffer, utf8Decode } from "./utf8.js";

type HostFn = (...args: unknown[]) => unknown;

/** The declared host functions: kernel metadata first, else js-pdk's `Host.__hostFunctions`. */
function declaredFunctions(): KernelHostFunction[] {
  const fromKernel = kernel.hostFunctions;
  const list = typeof fromKernel === "function" ? fromKernel() : fromKernel;
  const raw = (list ?? Host.__hostFunctions ?? []) as Array<KernelHostFunction | string>;
  return raw.map((f) => (typeof f === "string" ? { name: f } : f));
}

function hasResult(f: KernelHostFunction): boolean {
  if (f.result !== undefined) return f.result !== "void";
  const r = f.results;
  if (r === undefined) return true;
  return typeof r === "number" ? r > 0 : r.length > 0;
}

function toArg(v: unknown, name: string): number | bigint {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number" || typeof v === "bigint") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v && typeof v === "object" && "offset" in v) return toArg((v as { offset: unknown }).offset, name);
  throw new TypeError(`host function ${name}: arguments must be numbers or BigInts (got ${typeof v})`);
}

/** The `Host` global. */
export const Host = {
  /** Host function metadata injected by an extism-js style compiler (kept for compatibility). */
  __hostFunctions: undefined as Array<KernelHostFunction | string> | undefined,
  /** Calls host function `id` (kernel index) with numeric arguments; returns its result. */
  invokeFunc(id: number, ...args: unknown[]): unknown {
    return kernel.hostCall(
      id,
      args.map((a) => toArg(a, String(id))),
    );
  },
  /** Calls a host function that returns nothing. */
  invokeFunc0(id: number, ...args: unknown[]): void {
    kernel.hostCall(
      id,
      args.map((a) => toArg(a, String(id))),
    );
  },
  /** The whole input as an ArrayBuffer. */
  inputBytes(): ArrayBuffer {
    return kernel.inputBytes();
  },
  /** The whole input decoded as UTF-8. */
  inputString(): string {
    return kernel.inputString ? kernel.inputString() : utf8Decode(kernel.inputBytes());
  },
  /** Sets the output to these bytes (ArrayBuffer or any typed array / DataView). */
  outputBytes(output: ArrayBuffer | ArrayBufferView): boolean {
    kernel.outputBytes(bytesOf(output));
    return true;
  },
  /** Sets the output to a string, UTF-8 encoded. */
  outputString(output: string): boolean {
    kernel.outputBytes(String(output));
    return true;
  },
  /** The declared `extism:host/user` imports as functions, by name. */
  getFunctions(): Record<string, HostFn> {
    const fns: Record<string, HostFn> = {};
    declaredFunctions().forEach((f, i) => {
      const index = typeof f.index === "number" ? f.index : i;
      const returns = hasResult(f);
      fns[f.name] = (...args: unknown[]) => {
        const r = kernel.hostCall(
          index,
          args.map((a) => toArg(a, f.name)),
        );
        return returns ? r : undefined;
      };
    });
    return fns;
  },
  /** Encodes bytes as standard base64. */
  arrayBufferToBase64(input: ArrayBuffer | ArrayBufferView): string {
    return base64Encode(bytesOf(input));
  },
  /** Decodes standard base64 (or base64url) into a new ArrayBuffer. */
  base64ToArrayBuffer(input: string): ArrayBuffer {
    return exactBuffer((base64Decode(String(input)) as Uint8Array).slice());
  },
};

defineGlobal("Host", Host);
