// Host functions an embedder registers for the plugins it runs (ExtismOpenOptions.hostFunctions),
// next to Capstan's built-in ones. Typed like the Extism SDKs': numbers pass as Wasm values;
// string, bytes and json pass as kernel memory handles (i64) that the host reads and writes, so
// the function itself sees and returns plain JS values. Errors while defining one, or thrown
// inside one, are RuntimeError code "host-function".
import { RuntimeError } from "../errors.js";
import type { HostFunctionContext } from "./host-function.js";

/** Types of host function parameters and results (string/bytes/json travel as memory handles). */
export type HostValueType = "i32" | "i64" | "f32" | "f64" | "string" | "bytes" | "json";

/** The JS value of a HostValueType. */
export type HostValue<T extends HostValueType> = T extends "i64"
  ? bigint
  : T extends "i32" | "f32" | "f64"
    ? number
    : T extends "string"
      ? string
      : T extends "bytes"
        ? Uint8Array
        : unknown;

/** What `run` returns for `results` (nothing for `[]`). */
export type HostResult<R extends readonly HostValueType[]> = R extends readonly [
  infer T extends HostValueType,
]
  ? HostValue<T>
  : // biome-ignore lint/suspicious/noConfusingVoidType: lets `run` be a block body that returns nothing
    undefined | void;

/** The definition of an embedder's host function. */
export interface HostFunctionSpec<P extends readonly HostValueType[], R extends readonly HostValueType[]> {
  /** Import name in module "extism:host/user"; must not be a built-in's name. */
  name: string;
  /** One line for errors and listings; default the name. */
  summary?: string;
  /** Parameter types, in order. */
  params: P;
  /** Result types: none or one. */
  results: R;
  /**
   * `run` returns a Promise. Only runtimes opened with `isolation: "worker"` can wait for it
   * (the plugin's thread blocks while this thread's event loop runs); inline runtimes refuse it
   * at open. Default: true when `run` is an `async function`.
   */
  async?: boolean;
  /** The function: the caller's context, then the decoded arguments. Throw to fail the call. */
  run(
    ctx: HostFunctionContext,
    ...args: { [K in keyof P]: P[K] extends HostValueType ? HostValue<P[K]> : never }
  ): HostResult<R> | Promise<HostResult<R>>;
}

/** A host function made by defineHostFunction, ready for ExtismOpenOptions.hostFunctions. */
export interface CustomHostFunction {
  readonly kind: "custom";
  readonly name: string;
  readonly summary: string;
  readonly params: readonly HostValueType[];
  readonly results: readonly HostValueType[];
  readonly async: boolean;
  readonly run: (ctx: HostFunctionContext, ...args: unknown[]) => unknown;
}

const TYPES = new Set<string>(["i32", "i64", "f32", "f64", "string", "bytes", "json"]);

/** Checks and freezes a host function definition; throws RuntimeError "host-function" when it is malformed. */
export function defineHostFunction<
  const P extends readonly HostValueType[],
  const R extends readonly HostValueType[],
>(spec: HostFunctionSpec<P, R>): CustomHostFunction {
  const bad = (why: string) =>
    new RuntimeError("host-function", `host function "${String(spec.name)}": ${why}`, {
      hint: "see docs/host-sdk.md (Host functions of your own)",
    });
  if (typeof spec.name !== "string" || !/^[A-Za-z_][\w.-]*$/.test(spec.name))
    throw bad("the name must be a non-empty identifier (letters, digits, _ . -)");
  for (const t of [...spec.params, ...spec.results]) {
    if (!TYPES.has(t)) throw bad(`unknown type "${String(t)}" (use ${[...TYPES].join(", ")})`);
  }
  if (spec.results.length > 1) throw bad("at most one result");
  if (typeof spec.run !== "function") throw bad("run must be a function");
  return Object.freeze({
    kind: "custom" as const,
    name: spec.name,
    summary: spec.summary ?? spec.name,
    params: Object.freeze([...spec.params]),
    results: Object.freeze([...spec.results]),
    async: spec.async ?? spec.run.constructor.name === "AsyncFunction",
    run: spec.run as (ctx: HostFunctionContext, ...args: unknown[]) => unknown,
  });
}
