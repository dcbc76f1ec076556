// Which installer a source string selects, following Helm's order: a remote .tgz/.tar.gz URL
// is an archive, an existing local path is a directory or archive, `oci://` is a registry,
// anything else that looks like a repository URL is git.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { SourceKind } from "@capstan/host";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";

/** Classifies an install source; throws when it matches nothing. */
export function sourceKind(source: string, cwd = process.cwd()): SourceKind {
  if (source.startsWith("oci://")) return "oci";
  if (/^https?:\/\//i.test(source)) {
    let path: string;
    try {
      path = new URL(source).pathname;
    } catch {
      throw new InstallError("INSTALL_BAD_SOURCE", `${source}: not a valid URL`, {
        hint: "give the full URL of a .tgz or a git repository, e.g. https://example.com/hello-1.0.0.tgz",
        exitCode: ExitCode.usage,
      });
    }
    return /\.(tgz|tar\.gz)$/i.test(path) ? "http" : "git";
  }
  if (
    /^(git|ssh|git\+https?|git\+ssh|git\+file|file):\/\//i.test(source) ||
    /^[\w.-]+@[\w.-]+:/.test(source)
  ) {
    return "git";
  }
  const local = resolve(cwd, source);
  if (existsSync(local)) return statSync(local).isDirectory() ? "dir" : "tgz";
  throw new InstallError("INSTALL_SOURCE_NOT_FOUND", `${source}: no such directory or file, and not a URL`, {
    hint: "give a plugin directory, a .tgz, an http(s) URL, a git URL or an oci:// reference",
    exitCode: ExitCode.notFound,
  });
}
