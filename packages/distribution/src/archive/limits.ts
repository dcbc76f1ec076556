// Caps applied while reading a plugin archive. Helm caps charts at 100 MiB total and 5 MiB
// per file; a plugin.wasm with a snapshotted JS engine is several MiB, so the per-file cap
// is higher than Helm's chart cap while the total stays the same.

/** Limits on a plugin archive; all sizes are decompressed bytes. */
export interface ArchiveLimits {
  /** Sum of all file sizes. Default 100 MiB, env CAPSTAN_MAX_ARCHIVE_BYTES. */
  maxTotalBytes: number;
  /** Size of one file. Default 32 MiB, env CAPSTAN_MAX_FILE_BYTES. */
  maxFileBytes: number;
  /** Number of entries (files and directories). Default 10000, env CAPSTAN_MAX_ARCHIVE_ENTRIES. */
  maxEntries: number;
}

const MiB = 1024 * 1024;

/** The default caps, overridden by the environment variables named in {@link ArchiveLimits}. */
export function archiveLimits(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ArchiveLimits> = {},
): ArchiveLimits {
  return {
    maxTotalBytes: overrides.maxTotalBytes ?? positive(env.CAPSTAN_MAX_ARCHIVE_BYTES, 100 * MiB),
    maxFileBytes: overrides.maxFileBytes ?? positive(env.CAPSTAN_MAX_FILE_BYTES, 32 * MiB),
    maxEntries: overrides.maxEntries ?? positive(env.CAPSTAN_MAX_ARCHIVE_ENTRIES, 10000),
  };
}

function positive(text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** What a tree of entries (files with data) exceeds, or undefined when it fits the caps. */
export function exceededLimit(
  entries: readonly { path: string; data?: Uint8Array }[],
  limits: ArchiveLimits,
): string | undefined {
  if (entries.length > limits.maxEntries)
    return `${entries.length} entries exceed the cap of ${limits.maxEntries} (CAPSTAN_MAX_ARCHIVE_ENTRIES)`;
  let total = 0;
  for (const e of entries) {
    const size = e.data?.length ?? 0;
    total += size;
    if (size > limits.maxFileBytes)
      return `${e.path}: ${size} bytes exceed the per-file cap of ${limits.maxFileBytes} (CAPSTAN_MAX_FILE_BYTES)`;
    if (total > limits.maxTotalBytes)
      return `${e.path}: the files exceed the total cap of ${limits.maxTotalBytes} bytes (CAPSTAN_MAX_ARCHIVE_BYTES)`;
  }
  return undefined;
}
