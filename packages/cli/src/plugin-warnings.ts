// Discovery problems and manifest warnings, printed to stderr as `warning:` lines.
import type { Writable } from "node:stream";
import type { Discovery } from "@capstan/host";
import type { LoadedPlugin } from "@capstan/manifest";

/** Prints one line per broken or shadowed plugin. */
export function printProblems(discovery: Discovery, stderr: Writable): void {
  for (const p of discovery.problems) {
    if (p.kind === "broken") stderr.write(`warning: skipped broken plugin ${p.dir}: ${p.message}\n`);
    else stderr.write(`warning: ${p.message}\n`);
  }
}

/** Prints the manifest warnings of a plugin about to run. */
export function printWarnings(plugin: LoadedPlugin, stderr: Writable): void {
  for (const w of plugin.warnings) stderr.write(`warning: ${w.message}\n`);
}
