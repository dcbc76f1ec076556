// What `capstan plugin package` put into the archive, printed after packaging so an author
// sees at once when sources, tests or node_modules slipped in (or plugin.wasm is missing).
import { formatTable } from "../../table.js";

/** `922 B`, `4.0 KB`, `1.2 MB` (1024-based, one decimal above bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The FILE/SIZE table of the packed files and a total line (file names escaped). */
export function formatPackedFiles(
  files: readonly { path: string; size: number }[],
  archiveBytes: number,
): string {
  const total = files.reduce((n, f) => n + f.size, 0);
  const table = formatTable(
    ["FILE", "SIZE"],
    files.map((f) => [f.path, formatSize(f.size)]),
  );
  const count = `${files.length} file${files.length === 1 ? "" : "s"}`;
  return `${table}Total: ${count}, ${formatSize(total)} (archive ${formatSize(archiveBytes)})\n`;
}
