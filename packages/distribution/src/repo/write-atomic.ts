// Repository files (the repository list, cached indexes, a generated index.yaml) are replaced
// whole: written to a temporary file beside the target and renamed over it, so a crash or a
// refused download leaves the previous file, never a half-written one.
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Writes `text` to `file` atomically (mode 0644 unless given). */
export function writeAtomic(file: string, text: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
