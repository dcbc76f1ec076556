// Flags shared by the plugin repository commands: the output format of list-like commands and
// the keyring that checks signed indexes.
import type { RepoContext } from "@capstan/distribution";
import type { CommandContext, OptionSpec } from "../../command.js";
import { settingsFor } from "../../settings.js";
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

/** --keyring for signed indexes (same default as install). */
export const keyringOption: OptionSpec = {
  flags: "--keyring <path>",
  description: "public keyring for signed indexes ($CAPSTAN_KEYRING, else ~/.gnupg/pubring.gpg)",
};

/** Settings, environment and keyring of a repository command. */
export async function repoContext(
  opts: Record<string, unknown>,
  ctx: Pick<CommandContext, "env" | "bin" | "globals">,
): Promise<RepoContext> {
  return {
    settings: await settingsFor(ctx),
    env: ctx.env,
    ...(opts.keyring === undefined ? {} : { keyring: String(opts.keyring) }),
  };
}
