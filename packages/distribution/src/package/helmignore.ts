// `.helmignore`: the file Helm users already write to keep things out of a package. A plugin
// project holds sources, tests and node_modules beside plugin.yaml and plugin.wasm, and
// `capstan plugin package <project dir>` must leave them out. Helm's syntax is gitignore's
// (globs, `dir/`, `!negation`, `/anchored`, `#` comments); the `ignore` package implements it
// (docs/decisions.md says why a library), case-sensitively like Helm and git on Linux.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import ignore from "ignore";
import { InstallError } from "../errors.js";

/** The ignore file's name, in the plugin directory. */
export const HELMIGNORE = ".helmignore";

/** Rules read from a plugin directory's .helmignore. */
export interface IgnoreRules {
  /** Absolute path of the .helmignore the rules came from. */
  file: string;
  /** True when `relPath` (`/`-separated, relative to the plugin directory) is left out. */
  ignores(relPath: string, isDir: boolean): boolean;
}

/** Reads `<dir>/.helmignore`; undefined when there is none. */
export function readHelmignore(dir: string): IgnoreRules | undefined {
  const file = join(dir, HELMIGNORE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new InstallError(
      "PACKAGE_UNSUPPORTED_FILE",
      `cannot read ${file}: ${code ?? (e as Error).message}`,
      {
        hint: `make ${HELMIGNORE} a readable file (gitignore syntax), or remove it to package every file`,
        exitCode: ExitCode.failure,
        cause: e,
      },
    );
  }
  return parseHelmignore(text, file);
}

/** Parses .helmignore text (gitignore syntax); `file` is reported as the rules' origin. */
export function parseHelmignore(text: string, file: string): IgnoreRules {
  const rules = ignore({ ignorecase: false }).add(text);
  return {
    file,
    // A directory is tested with a trailing "/" so that `dir/` patterns match it.
    ignores: (relPath, isDir) => rules.ignores(isDir ? `${relPath}/` : relPath),
  };
}
