// `capstan <cli-plugin> [args]`: finds the installed cli plugin and runs it.
import { CapstanError, ExitCode } from "@capstan/manifest";
import type { MainIo } from "./main.js";

/** Runs the cli plugin `name` with `argv` (global flags still inside); returns its exit code. */
export async function runPluginCommand(name: string, _argv: string[], _io: MainIo): Promise<number> {
  throw new CapstanError("usage", `unknown command "${name}"`, {
    exitCode: ExitCode.usage,
    hint: "run 'capstan --help' for commands, or 'capstan plugin list' for installed plugins",
  });
}
