// A closed pipe is not a crash: `capstan --help | head -1` closes capstan's stdout after one
// line, and the next write fails with EPIPE, which node raises as an 'error' event on the
// stream; without a listener that is an "Unhandled 'error' event" stack and exit 1. The reader
// went away on purpose, so the error is dropped (as are the writes after it) and the command
// ends with its own exit code. Other stream errors still surface.

/** A stream whose write errors arrive as 'error' events (process.stdout, process.stderr). */
interface ErrorEmitter {
  on(event: "error", listener: (e: NodeJS.ErrnoException) => void): unknown;
}

/** Error codes of a reader that went away: the pipe's, and writes after the stream ended. */
const closedCodes = new Set(["EPIPE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

/** Lets `stream` fail quietly when its reader closes the pipe; returns the stream. */
export function ignoreClosedPipe<T extends ErrorEmitter>(stream: T): T {
  if ((stream as { [marked]?: true })[marked]) return stream;
  (stream as { [marked]?: true })[marked] = true;
  stream.on("error", (e) => {
    if (closedCodes.has(String(e?.code))) return;
    // Not a closed pipe: the same behaviour as without this listener.
    throw e;
  });
  return stream;
}

const marked = Symbol.for("capstan.ignoreClosedPipe");
