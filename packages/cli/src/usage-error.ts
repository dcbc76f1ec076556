// A usage error (unknown command, bad flag value): exit code 2 with a hint to the help.
import { CapstanError, ExitCode } from "@capstan/manifest";

/** Wrong use of the command line; `command` names the command whose help to show. */
export class UsageError extends CapstanError {
  constructor(message: string, command = "") {
    super("usage", message, {
      exitCode: ExitCode.usage,
      hint: `run 'capstan ${command ? `${command} ` : ""}--help' for usage`,
    });
  }
}
