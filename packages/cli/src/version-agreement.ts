// A plugin project states its version twice: package.json (npm, `npm version`) and plugin.yaml
// (what Helm and Capstan install and sign). They drift silently when one is bumped, and the
// package would then be named and signed with a version the project did not mean. `capstan
// plugin build` and `plugin package` refuse a project where both exist and disagree.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CapstanError, ExitCode } from "@capstan/manifest";
import { parse } from "yaml";

/** The `version` of a JSON or YAML file as written, or undefined when absent or unreadable. */
function versionIn(file: string, read: (text: string) => unknown): string | undefined {
  let doc: unknown;
  try {
    doc = read(readFileSync(file, "utf8"));
  } catch {
    return undefined; // missing or malformed: the build or the manifest check reports it
  }
  const v = (doc as { version?: unknown } | null)?.version;
  return typeof v === "string" ? v : undefined;
}

/** Throws a usage error when `<dir>/package.json` and `<dir>/plugin.yaml` state different versions. */
export function checkVersionAgreement(dir: string): void {
  const root = resolve(dir);
  const pkg = versionIn(join(root, "package.json"), (t) => JSON.parse(t));
  if (pkg === undefined) return;
  const manifest = versionIn(join(root, "plugin.yaml"), (t) => parse(t, { schema: "failsafe" }));
  if (manifest === undefined || manifest === pkg) return;
  throw new CapstanError(
    "version-drift",
    `${root}: package.json has version ${pkg} but plugin.yaml has version ${manifest}`,
    {
      exitCode: ExitCode.usage,
      hint: `set the same version in both ${join(root, "package.json")} and ${join(root, "plugin.yaml")} (\`npm version\` changes only package.json)`,
    },
  );
}
