// Reads all of stdin (post-renderers take the whole manifest stream at once). When stdin is the
// process's own fd 0 it is read with readSync: creating process.stdin (tty or pipe setup and
// node's stream code) costs milliseconds a post-renderer call would otherwise pay.
import { readSync } from "node:fs";
import type { Readable } from "node:stream";

async function chunksOf(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return chunks;
}

/**
 * All of stdin as UTF-8 text: read from `fd` directly when given, else (or when the fd is
 * non-blocking and has nothing yet: EAGAIN) through the stream, after what was already read.
 */
export async function readStdin(fd: number | undefined, stream: () => Readable): Promise<string> {
  const chunks: Buffer[] = [];
  if (fd !== undefined) {
    for (;;) {
      const buf = Buffer.allocUnsafe(65536);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") break;
        if ((e as NodeJS.ErrnoException).code === "EOF") return Buffer.concat(chunks).toString("utf8");
        throw e;
      }
      if (n === 0) return Buffer.concat(chunks).toString("utf8");
      chunks.push(buf.subarray(0, n));
    }
  }
  chunks.push(...(await chunksOf(stream())));
  return Buffer.concat(chunks).toString("utf8");
}
