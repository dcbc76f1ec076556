// The name rules for archive members (shared/spec/provenance.md, "Archive safety").

/** Normalizes a member name, or returns why it is refused. */
export function normalizeEntryPath(raw: string): { path: string } | { reason: string } {
  if (raw === "" || raw.includes("\0")) return { reason: "empty name or NUL byte" };
  if (raw.startsWith("/")) return { reason: "absolute path" };
  if (raw.includes("\\")) return { reason: "backslash in name" };
  if (raw.includes(":")) return { reason: "':' in name (drive letter or stream)" };
  const segments = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return { reason: "'..' path segment" };
  if (segments.length === 0) return { reason: "name has no path segment" };
  return { path: segments.join("/") };
}
