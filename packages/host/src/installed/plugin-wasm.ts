// Whether an extism/v1 plugin directory holds the plugin.wasm its runtime runs. One check for
// install (which refuses such a directory) and `plugin list` (which flags it: missing-wasm),
// so both agree on what "missing" means: not a regular file (absent, a directory, a dangling link).
import { statSync } from "node:fs";
import { join } from "node:path";
import type { LoadedPlugin } from "@capstan/manifest";

/** The file name the extism/v1 runtime runs, in the plugin directory. */
export const PLUGIN_WASM_FILE = "plugin.wasm";

/** The hint for a missing plugin.wasm: the command that produces it. */
export const PLUGIN_WASM_HINT =
  "build it with `capstan plugin build` in the plugin's project, then install or package the built directory";

/** Path of the missing plugin.wasm of an extism/v1 plugin; undefined when present or not Wasm. */
export function missingPluginWasm(loaded: LoadedPlugin): string | undefined {
  if (loaded.manifest.runtime !== "extism/v1") return undefined;
  const path = join(loaded.dir, PLUGIN_WASM_FILE);
  try {
    return statSync(path).isFile() ? undefined : path;
  } catch {
    return path;
  }
}
