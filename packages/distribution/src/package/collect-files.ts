// Collects a plugin directory's files for packaging, in a stable order.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import type { TarEntry } from "../archive/tar-writer.js";
import { InstallError } from "../errors.js";

/** Names never packaged: VCS metadata and the files an install writes into a plugin dir. */
export const PACKAGE_SKIP = new Set([
  ".git",
  ".hg",
  ".svn",
  ".capstan-install.json",
  ".capstan-install.prov",
]);

/** Options of collectFiles. */
export interface CollectOptions {
  /** Leaves out a path (`/`-separated, relative to `dir`); an ignored directory is not entered. */
  ignores?: (relPath: string, isDir: boolean) => boolean;
}

/**
 * Lists `dir` recursively as tar entries under `prefix/` (or at the top when prefix is ""), sorted by path. Files get mode 0755
 * when any execute bit is set, else 0644. Links and special files are refused, because an
 * installer refuses them too (an ignored one is left out and so not refused).
 */
export function collectFiles(dir: string, prefix: string, options: CollectOptions = {}): TarEntry[] {
  const out: TarEntry[] = prefix === "" ? [] : [{ path: prefix, type: "dir", mode: 0o755 }];
  const walk = (abs: string, rel: string, own: string): void => {
    for (const name of readdirSync(abs).sort()) {
      if (PACKAGE_SKIP.has(name)) continue;
      const path = join(abs, name);
      const entryPath = rel === "" ? name : `${rel}/${name}`;
      const ownPath = own === "" ? name : `${own}/${name}`;
      const st = lstatSync(path);
      if (options.ignores?.(ownPath, st.isDirectory()) === true) continue;
      if (st.isDirectory()) {
        out.push({ path: entryPath, type: "dir", mode: 0o755 });
        walk(path, entryPath, ownPath);
      } else if (st.isFile()) {
        out.push({
          path: entryPath,
          type: "file",
          mode: st.mode & 0o111 ? 0o755 : 0o644,
          data: readFileSync(path),
        });
      } else {
        throw new InstallError(
          "PACKAGE_UNSUPPORTED_FILE",
          `${path}: ${st.isSymbolicLink() ? "symbolic link" : "special file"} cannot be packaged`,
          {
            hint: "installers accept only regular files and directories; replace the link with a copy of the file",
            exitCode: ExitCode.failure,
          },
        );
      }
    }
  };
  walk(dir, prefix, "");
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
