// The shape of a Capstan host function (module "extism:host/user"). Each function takes one
// JSON block and returns one JSON block `{"result": ..., "error": string | null}`; the
// registry row (registry.ts) makes it importable by plugins that list it in hostFunctions.

/** What a host function knows about its caller. */
export interface HostFunctionContext {
  /** Name of the calling plugin. */
  pluginName: string;
}

/** A host function plugins may import from "extism:host/user". */
export interface HostFunction {
  /** Import name and runtimeConfig.hostFunctions entry. */
  name: string;
  /** One line for docs and errors. */
  summary: string;
  /** Loads what `run` needs; awaited when a plugin that uses the function is opened. */
  prepare?: () => Promise<void>;
  /** Runs synchronously with the parsed input; its return value becomes `result`. Throw to answer with `error`. */
  run: (input: unknown, ctx: HostFunctionContext) => unknown;
}
