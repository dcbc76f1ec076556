// Flags shared by the plugin repository commands: the output format of list-like commands.
import type { OptionSpec } from "../../command.js";
import { UsageError } from "../../usage-error.js";

/** `-o table|json`. */
export const outputOption: OptionSpec = {
  flags: "-o, --output <format>",
  description: "output format: table or json",
  default: "table",
};

/** The -o value, checked. */
export function outputFormat(opts: Record<string, unknown>, command: string): "table" | "json" {
  const o = String(opts.output ?? "table");
  if (o !== "table" && o !== "json")
    throw new UsageError(`--output must be table or json, not "${o}"`, command);
  return o;
}
