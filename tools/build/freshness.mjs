// What a build was made from: a digest over its input files (path + bytes), written next to
// the outputs by each build step and recomputed by the release (tools/release) so that a
// missing or stale build is refused before anything is published.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative } from "node:path";

/** sha256 over the files (sorted by path relative to `base`), paths included. */
export function inputDigest(files, base) {
  const hash = createHash("sha256");
  for (const [rel, abs] of files
    .map((f) => [relative(base, f).split("\\").join("/"), f])
    .sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${rel}\0`).update(readFileSync(abs)).update("\0");
  }
  return hash.digest("hex");
}
