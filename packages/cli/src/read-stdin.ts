// Reads all of stdin (post-renderers take the whole manifest stream at once).
import type { Readable } from "node:stream";

/** All bytes of `stream` as UTF-8 text. */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
