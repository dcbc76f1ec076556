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
  const input = inputErrorHint(e);
  stderr.write(`error: ${terminalText(input?.message ?? message)}\n`);
  if (debug) writeFrames(e, stderr);
  const hint =
    systemErrorHint(e) ??
    input?.hint ??
    (debug
      ? "this is a bug in capstan or an unexpected system error: report it with the output above"
      : "this is a bug in capstan or an unexpected system error; run again with --debug for the stack trace");
  stderr.write(`hint: ${terminalText(hint)}\n`);
  return input?.exitCode ?? ExitCode.failure;
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

/**
 * Hints for errors of the operating system, by errno code: none of them is a bug in capstan.
 * Each gets the path the call was about (`path`, else `dest`), quoted, or "the path named above".
 */
const systemHints: Record<string, (path: string, syscall: string) => string> = {
  ENOSPC: () => "the disk is full: free some space (or point CAPSTAN_PLUGINS / TMPDIR elsewhere) and retry",
  EDQUOT: () => "your disk quota is used up: free some space and retry",
  EROFS: (p) =>
    `the file system of ${p} is read-only: write somewhere else (or point CAPSTAN_PLUGINS elsewhere)`,
  EACCES: (p) => `permission denied on ${p}: check its owner and mode (and those of its directories)`,
  EPERM: (p) => `operation not permitted on ${p}: check its owner and mode`,
  ENOENT: (p) => `${p} does not exist: check the path (a file's directory must exist)`,
  ENOTDIR: (p) => `a part of ${p} is a file, not a directory: check the path`,
  EISDIR: (p) => `${p} is a directory: name a file (or pass the directory where one is expected)`,
  EEXIST: (p, syscall) =>
    syscall === "mkdir"
      ? `${p} exists and is not a directory: name a directory (or remove the file)`
      : `${p} already exists: remove it or choose another name`,
  ENAMETOOLONG: (p) => `the name ${p} is too long for the file system: choose a shorter one`,
  ELOOP: (p) => `${p} leads to a loop of symbolic links: check the links`,
  ETXTBSY: (p) => `${p} is a program that is running: stop it and retry`,
  EBUSY: (p) => `${p} is busy (in use or mounted): retry when it is free`,
  EXDEV: (p) => `${p} is on another file system: use a path on the same one`,
  EMFILE: () => "too many open files: raise the limit (`ulimit -n`) and retry",
  ENFILE: () => "the system is out of file handles: retry when fewer programs run",
  EIO: () => "an input/output error from the disk: check the device",
  ECONNREFUSED: () => "nothing listens at that address: check the host and port, and that the server runs",
  ECONNRESET: () => "the connection was closed by the other side: retry",
  ETIMEDOUT: () => "the connection timed out: check your network and retry",
  EHOSTUNREACH: () => "the host cannot be reached: check your network",
  ENETUNREACH: () => "the network cannot be reached: check your connection",
  ENOTFOUND: () => "the host name does not resolve: check its spelling and your DNS",
  EAI_AGAIN: () => "the host name could not be resolved now (DNS): retry",
};

/** The hint for an errno error (`code` + `syscall`, as node:fs throws them), else undefined. */
function systemErrorHint(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException & { dest?: string };
  const code = err?.code;
  if (typeof code !== "string" || err.syscall === undefined) return undefined;
  const path = err.path ?? err.dest;
  return systemHints[code]?.(path === undefined ? "the path named above" : `"${path}"`, err.syscall);
}

/** Node's own errors of user input (not bugs): the message naming the input, hint, exit code. */
function inputErrorHint(e: unknown): { message: string; hint: string; exitCode: number } | undefined {
  const err = e as { code?: unknown; input?: unknown; message?: unknown };
  if (err?.code === "ERR_INVALID_URL") {
    return {
      message: `invalid URL: ${String(err.input ?? err.message)}`,
      hint: "pass a full, valid URL (scheme://host/path)",
      exitCode: ExitCode.usage,
    };
  }
  return undefined;
}
