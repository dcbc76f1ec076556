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
  const hint = systemErrorHint(e);
  if (hint) stderr.write(`hint: ${terminalText(hint)}\n`);
  if (debug && e instanceof Error && e.stack) stderr.write(`${terminalText(e.stack)}\n`);
  else if (!hint)
    stderr.write(
      "hint: this is a bug in capstan or an unexpected system error; run again with --debug for the stack trace\n",
    );
  return ExitCode.failure;
}

/** Hints for errors of the operating system (a full disk is not a bug in capstan). */
const systemHints: Record<string, string> = {
  ENOSPC: "the disk is full: free some space (or point CAPSTAN_PLUGINS / TMPDIR elsewhere) and retry",
  EDQUOT: "your disk quota is used up: free some space and retry",
  EROFS: "the file system is read-only: point CAPSTAN_PLUGINS elsewhere",
  EACCES: "permission denied: check the owner and mode of the path named above",
  EPERM: "operation not permitted: check the owner and mode of the path named above",
  EMFILE: "too many open files: raise the limit (`ulimit -n`) and retry",
  ENFILE: "the system is out of file handles: retry when fewer programs run",
  EIO: "an input/output error from the disk: check the device",
};

/** The hint for an errno error (`code` + `syscall`, as node:fs throws them), else undefined. */
function systemErrorHint(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string" || (e as NodeJS.ErrnoException).syscall === undefined) return undefined;
  return systemHints[code];
}
