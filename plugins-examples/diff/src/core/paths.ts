// Paths the user typed, as the plugin sees them: WASI has no working directory, so relative
// paths are resolved against PWD (passed by the host through runtimeConfig.env).

/** Joins and normalizes `path` against `cwd` (both POSIX); returns an absolute path. */
export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith("/") ? path : `${cwd}/${path}`).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return `/${out.join("/")}`;
}
