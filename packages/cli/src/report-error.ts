// The single place that turns an error into output and an exit code: one `error:` line (a
// failed plugin's source-mapped frames follow it, inside its message), with --debug the frames
// of where it was thrown (not the message again), and last, always, one `hint:` line.
// Messages can carry what a plugin or its plugin.yaml said, so they pass through terminalText.
import type { Writable } from "node:stream";
import { ExitCode, isCapstanError, terminalText } from "@capstan/manifest";

/** Hint of an error that names none: every error ends with a hint line (docs/cli.md). */
const FALLBACK_HINT = "run again with --debug for the stack trace";

/** Prints `e` for a person and returns the exit code it maps to (docs/cli.md). */
export function reportError(e: unknown, stderr: Writable, debug: boolean): number {
  if (isCapstanError(e)) {
    stderr.write(`error: ${terminalText(e.message)}\n`);
    if (debug) writeFrames(e, stderr);
    stderr.write(
      `hint: ${terminalText(e.hint ?? (debug ? "the frames above show where it failed" : FALLBACK_HINT))}\n`,
    );
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  stderr.write(`error: ${terminalText(message)}\n`);
  if (debug) writeFrames(e, stderr);
  const hint =
    systemErrorHint(e) ??
    (debug
      ? "this is a bug in capstan or an unexpected system error: report it with the output above"
      : "this is a bug in capstan or an unexpected system error; run again with --debug for the stack trace");
  stderr.write(`hint: ${terminalText(hint)}\n`);
  return ExitCode.failure;
}

/**
 * The stack of `e` without its first lines, which repeat the message already printed: one
 * error, not two. A failed plugin call's error has no host frames (host outcome-error.ts).
 */
function writeFrames(e: unknown, stderr: Writable): void {
  if (!(e instanceof Error) || !e.stack) return;
  const at = e.message ? e.stack.indexOf(e.message) : -1;
  const frames = (at >= 0 ? e.stack.slice(at + e.message.length) : e.stack).replace(/^\n+/, "").trimEnd();
  if (frames) stderr.write(`${terminalText(frames)}\n`);
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
