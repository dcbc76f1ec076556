// A plugin project's @capstan/* packages must be the release of the CLI that builds it: the
// pdk helpers bundled into plugin.wasm and the compiler's prelude and engine change together.
// `capstan plugin build` checks the versions installed in the project before compiling.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CapstanError, ExitCode } from "@capstan/manifest";

/** The packages of a project that must match the CLI's version. */
const PAIRED = ["@capstan/pdk", "@capstan/cli"];

/** The version of `name` in the node_modules nearest to `dir`, if installed. */
function installedVersion(dir: string, name: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const file = join(d, "node_modules", name, "package.json");
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
      } catch {
        return undefined;
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** Throws when the project in `dir` has @capstan/* packages of another version than `version`. */
export function checkProjectVersions(dir: string, version: string): void {
  const off = PAIRED.map((name) => [name, installedVersion(dir, name)] as const).filter(
    ([, v]) => v !== undefined && v !== version,
  );
  if (off.length === 0 || version === "0.0.0-dev") return;
  const list = off.map(([name, v]) => `${name} ${v}`).join(", ");
  const fix = PAIRED.map((name) => `${name}@${version}`).join(" ");
  throw new CapstanError(
    "version-mismatch",
    `${resolve(dir)}: the project has ${list}, but this capstan is ${version}`,
    {
      exitCode: ExitCode.usage,
      hint: `run \`npm install ${fix}\` in ${resolve(dir)} (or run the project's own capstan: \`npx capstan plugin build\`)`,
    },
  );
}
