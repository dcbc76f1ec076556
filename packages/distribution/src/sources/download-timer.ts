// Time limits of one download. A server that answers the headers and then stalls mid-body
// would hang an install forever, so every request carries an idle timer (no byte for
// `idleMs` aborts it; default 30 s) and, with `--timeout`, an overall deadline. The timer
// travels with the Response (a WeakMap), so readCapped can reset it per chunk without every
// caller threading it through. Timers are unref'd: a finished download never holds the
// process open, while a stalled socket does, so the timer still fires.
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";

/** Idle timeout when none is given: no byte for this long fails the download. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** Time limits of downloads (install, update). */
export interface DownloadTimeouts {
  /** No byte for this long fails the download (default {@link DEFAULT_IDLE_TIMEOUT_MS}). */
  idleTimeoutMs?: number;
  /** The whole install/update must have downloaded within this long (default: no limit). */
  timeoutMs?: number;
}

const timers = new WeakMap<Response, DownloadTimer>();

/** Aborts a request after `idleMs` without progress, or when the overall deadline passes. */
export class DownloadTimer {
  private readonly controller = new AbortController();
  private idle: NodeJS.Timeout | undefined;
  private reason: string | undefined;
  readonly signal: AbortSignal;

  constructor(
    private readonly what: string,
    private readonly idleMs: number,
    deadline?: AbortSignal,
  ) {
    this.signal = deadline ? AbortSignal.any([this.controller.signal, deadline]) : this.controller.signal;
    this.alive();
  }

  /** Progress was made: restart the idle timer. */
  alive(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.reason = `no data for ${this.idleMs} ms`;
      this.controller.abort();
    }, this.idleMs);
    this.idle.unref();
  }

  /** The download is complete (or failed): stop the timer. */
  stop(): void {
    clearTimeout(this.idle);
  }

  /** The error to throw when `e` comes from this timer aborting; undefined otherwise. */
  timeoutError(e: unknown): InstallError | undefined {
    if (!this.signal.aborted) return undefined;
    this.stop();
    const why = this.reason ?? "the --timeout passed";
    return new InstallError("INSTALL_TIMEOUT", `${this.what}: timed out (${why})`, {
      hint: "the server stalled; retry later, or raise --timeout if the download is just slow",
      exitCode: ExitCode.timeout,
      cause: e,
    });
  }
}

/** An overall deadline signal for `timeoutMs`, or undefined when there is no limit. */
export function deadlineSignal(timeoutMs: number | undefined): AbortSignal | undefined {
  return timeoutMs !== undefined && timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
}

/** Binds `timer` to `res`, for {@link timerOf}. */
function bindTimer(res: Response, timer: DownloadTimer): Response {
  timers.set(res, timer);
  return res;
}

/** How a fetch that neither timed out nor answered is reported, by the caller's own words. */
export type UnreachableError = (url: string, reason: string, cause: unknown) => InstallError;

/**
 * `fetch` under a {@link DownloadTimer} (idle timeout, optional overall deadline) that follows
 * redirects; the response carries its timer for readCapped. A timeout throws INSTALL_TIMEOUT,
 * any other failure what `unreachable` makes of the reason.
 */
export async function timedFetch(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: Uint8Array },
  limits: { idleTimeoutMs?: number; deadline?: AbortSignal },
  unreachable: UnreachableError,
): Promise<Response> {
  const timer = new DownloadTimer(url, limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, limits.deadline);
  try {
    const res = await fetch(url, { ...init, redirect: "follow", signal: timer.signal });
    return bindTimer(res, timer);
  } catch (e) {
    timer.stop();
    throw (
      timer.timeoutError(e) ??
      unreachable(url, (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message, e)
    );
  }
}

/** The timer of a response fetched through a DownloadTimer, if any. */
export function timerOf(res: Response): DownloadTimer | undefined {
  return timers.get(res);
}
