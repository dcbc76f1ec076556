// allowedHosts matching, as Extism's Go SDK does it (gobwas/glob without separators): `*`
// matches any run of characters including dots, `?` one character; case-insensitive; the port
// is not part of the match. This function is also stringified into the HTTP worker, so it must
// stay self-contained (no imports, no outer references).

/** True when `hostname` matches one of `globs`. */
export function hostAllowed(hostname: string, globs: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  for (const glob of globs) {
    const g = glob.toLowerCase().replace(/^\[|\]$/g, "");
    const re = `^${g
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`;
    if (new RegExp(re).test(host)) return true;
  }
  return false;
}
