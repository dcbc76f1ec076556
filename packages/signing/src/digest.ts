// SHA-256 of tarballs, streamed so large archives are not held in memory twice.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** Lowercase hex SHA-256 of a file. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Lowercase hex SHA-256 of bytes. */
export function sha256Bytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
