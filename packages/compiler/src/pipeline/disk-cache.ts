// The compiler's on-disk cache of binaryen results (engine-opt/, engine-link/ under
// $CAPSTAN_CACHE_DIR or ~/.cache/capstan): entries are named by a hash of everything that
// makes them, written atomically (tmp + rename), and an unreadable or unwritable cache only
// costs time.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

function cacheDir(kind: string): string {
  const base =
    process.env.CAPSTAN_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "capstan");
  return join(base, kind);
}

/** The cached bytes of `kind/key`, or undefined. */
export function cacheRead(kind: string, key: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(join(cacheDir(kind), `${key}.wasm`)));
  } catch {
    return undefined;
  }
}

/** Stores `bytes` as `kind/key` (silently does nothing when the cache cannot be written). */
export function cacheWrite(kind: string, key: string, bytes: Uint8Array): void {
  try {
    const dir = cacheDir(kind);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(dir, `${key}.wasm`));
  } catch {
    // An unwritable cache only costs time.
  }
}
