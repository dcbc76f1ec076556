// A cache of loaded manifests for discovery, so running a plugin does not parse every
// plugin.yaml (and load the YAML parser) on each start. An entry is used only while the
// plugin.yaml's inode, size, mtime and ctime are unchanged and the cache key (the caller's
// build identity) matches; anything else is a miss and the file is parsed again.
import type { Stats } from "node:fs";
// Synchronous fs throughout: node:fs/promises alone loads readline and stream code, and these
// are a few small metadata operations on the start-up path.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { LoadedPlugin } from "@capstan/manifest";

/** Where the cache lives and what build wrote it (a different key discards the cache). */
export interface DiscoveryCacheOptions {
  /** Cache file, e.g. `$HELM_CACHE_HOME/plugin-index.json`. */
  file: string;
  /** Identity of the code that normalized the manifests (version + build). */
  key: string;
}

/** One cached manifest and the file facts it is valid for. */
export interface DiscoveryCacheEntry {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  strict: boolean;
  plugin: LoadedPlugin;
}

const FORMAT = 1;

/** Reads the cache (synchronously, like discovery's metadata calls); unreadable = empty. */
export function readDiscoveryCache(options: DiscoveryCacheOptions): Map<string, DiscoveryCacheEntry> {
  try {
    const data = JSON.parse(readFileSync(options.file, "utf8")) as {
      format?: number;
      key?: string;
      entries?: Record<string, DiscoveryCacheEntry>;
    };
    if (
      data.format !== FORMAT ||
      data.key !== options.key ||
      typeof data.entries !== "object" ||
      !data.entries
    ) {
      return new Map();
    }
    return new Map(Object.entries(data.entries));
  } catch {
    return new Map();
  }
}

/** True when `entry` describes the file with these stats, loaded with the same strictness. */
export function cacheEntryValid(entry: DiscoveryCacheEntry | undefined, s: Stats, strict: boolean): boolean {
  return (
    entry !== undefined &&
    entry.ino === s.ino &&
    entry.size === s.size &&
    entry.mtimeMs === s.mtimeMs &&
    entry.ctimeMs === s.ctimeMs &&
    entry.strict === strict
  );
}

/** A cache entry for a freshly loaded plugin. */
export function cacheEntry(plugin: LoadedPlugin, s: Stats, strict: boolean): DiscoveryCacheEntry {
  return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, strict, plugin };
}

/** Writes the cache atomically (temp file + rename). Failure is ignored: it is only a cache. */
export function writeDiscoveryCache(
  options: DiscoveryCacheOptions,
  entries: ReadonlyMap<string, DiscoveryCacheEntry>,
): void {
  const tmp = `${options.file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(options.file), { recursive: true });
    writeFileSync(
      tmp,
      JSON.stringify({ format: FORMAT, key: options.key, entries: Object.fromEntries(entries) }),
    );
    renameSync(tmp, options.file);
  } catch {
    // read-only cache dir, disk full...: discovery works without the cache
  }
}
