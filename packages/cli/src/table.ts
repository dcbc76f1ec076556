// Plain aligned columns (like Helm's uitable): no trailing spaces, two spaces between columns.

/** The header and rows as aligned text, one line each, ending in a newline. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 2)))
      .join("")
      .trimEnd();
  return `${[header, ...rows].map(line).join("\n")}\n`;
}
