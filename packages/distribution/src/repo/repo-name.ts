// Names of plugin repositories and `<repo>/<plugin>` references. A repository name becomes a
// cache file name (`<cache>/<name>-index.yaml`), so it is validated before any path is built:
// no `/`, no `..`, no leading dot or dash, letters, digits, `.`, `_` and `-` only.
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import { quoted } from "./safe-text.js";

const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The plugin name rule of plugin.yaml (manifest schemas). */
export const PLUGIN_NAME = /^[A-Za-z0-9_-]+$/;

/** Throws REPO_BAD_NAME unless `name` is a usable repository name. */
export function checkRepoName(name: string): string {
  if (!REPO_NAME.test(name) || name.includes("..")) {
    throw new InstallError(
      "REPO_BAD_NAME",
      `${quoted(name)} is not a repository name (letters, digits, ".", "_" and "-"; no "/" or ".."; at most 64)`,
      { hint: "pick another name: `capstan plugin repo add <name> <url>`", exitCode: ExitCode.usage },
    );
  }
  return name;
}

/** A `<repo>/<plugin>` reference. */
export interface RepoRef {
  repo: string;
  plugin: string;
}

/** Splits `<repo>/<plugin>`; undefined when `text` does not have that shape. */
export function splitRepoRef(text: string): RepoRef | undefined {
  const m = /^([^/:@\s]+)\/([^/:@\s]+)$/.exec(text);
  if (!m || m[1] === "." || m[1] === "..") return undefined;
  return { repo: m[1]!, plugin: m[2]! };
}

/** Parses `<repo>/<plugin>`, throwing a usage error naming what is wrong. */
export function parseRepoRef(text: string): RepoRef {
  const ref = splitRepoRef(text);
  if (ref === undefined) {
    throw new InstallError("REPO_BAD_NAME", `${quoted(text)} is not <repository>/<plugin>`, {
      hint: "name a plugin as it appears in `capstan plugin search`, e.g. myrepo/relaudit",
      exitCode: ExitCode.usage,
    });
  }
  checkRepoName(ref.repo);
  if (!PLUGIN_NAME.test(ref.plugin)) {
    throw new InstallError("REPO_BAD_NAME", `${quoted(ref.plugin)} is not a plugin name`, {
      hint: "plugin names are letters, digits, _ and -",
      exitCode: ExitCode.usage,
    });
  }
  return ref;
}
