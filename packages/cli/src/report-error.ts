// The single place that turns an error into output and an exit code: one `error:` line, one
// `hint:` line, and the stack only with --debug. Messages can carry what a plugin or its
// plugin.yaml said, so they pass through terminalText.
import type { Writable } from "node:stream";
import { ExitCode, isCapstanError, terminalText } from "@capstan/manifest";

/** Prints `e` for a person and returns the exit code it maps to (docs/cli.md). */
export function reportError(e: unknown, stderr: Writable, debug: boolean): number {
  if (isCapstanError(e)) {
    stderr.write(`error: ${terminalText(e.message)}\n`);
    if (e.hint) stderr.write(`hint: ${terminalText(e.hint)}\n`);
    if (debug && e.stack) stderr.write(`${terminalText(e.stack)}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  stderr.write(`error: ${terminalText(message)}\n`);
  if (debug && e instanceof Error && e.stack) stderr.write(`${terminalText(e.stack)}\n`);
  else
    stderr.write(
      "hint: this is a bug in capstan or an unexpected system error; run again with --debug for the stack trace\n",
    );
  return ExitCode.failure;
}
