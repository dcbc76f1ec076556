// defineCli: cli/v1 messages; the handler may return nothing, an exit code, or the output message.
import type { CliInput } from "@capstan/manifest/generated/cli.v1.input";
import type { CliOutput } from "@capstan/manifest/generated/cli.v1.output";
import { type ExportResult, isPlainObject, makeExport, stringList } from "./run-export.js";

/** The normalized cli input the handler receives. */
export type CliRequest = Omit<CliInput, "extraArgs"> & {
  /** Arguments after the plugin name (never null). */
  extraArgs: string[];
};

/** What a cli handler may return: nothing, an exit code (Capstan extension) or the output message. */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers that return nothing are typed `void`
export type CliResult = void | undefined | number | CliOutput;

/** A cli handler. */
export type CliHandler = (input: CliRequest) => CliResult | Promise<CliResult>;

function parse(raw: unknown): CliRequest {
  if (!isPlainObject(raw)) throw new TypeError("cli/v1 input must be a JSON object");
  return { ...(raw as object), extraArgs: stringList(raw.extraArgs, "extraArgs") };
}

function finish(r: CliResult): CliOutput {
  if (r === undefined || r === null) return {};
  if (typeof r === "number") {
    if (!Number.isInteger(r) || r < 0 || r > 255)
      throw new RangeError(`defineCli: exit code must be an integer 0-255 (got ${r})`);
    return r === 0 ? {} : { exitCode: r };
  }
  if (isPlainObject(r)) return r as CliOutput;
  throw new TypeError("defineCli: the handler must return nothing, an exit code, or {data?, exitCode?}");
}

/**
 * Defines a cli/v1 plugin. Export the result as `helm_plugin_main`:
 * `export const helm_plugin_main = defineCli(({ extraArgs }) => { console.log(extraArgs) })`.
 */
export function defineCli(handler: CliHandler): () => ExportResult {
  return makeExport("cli/v1", parse, handler, finish);
}
