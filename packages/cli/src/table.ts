// Plain aligned columns (like Helm's uitable): no trailing spaces, two spaces between columns.
// Cells hold plugin.yaml text (names, help), so each passes through terminalText.
import { terminalText } from "@capstan/manifest";

/** The header and rows as aligned text, one line each, ending in a newline. */
export function formatTable(header: readonly string[], cells: readonly (readonly string[])[]): string {
  const rows = cells.map((r) => r.map((c) => terminalText(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 2)))
      .join("")
      .trimEnd();
  return `${[header, ...rows].map(line).join("\n")}\n`;
}
