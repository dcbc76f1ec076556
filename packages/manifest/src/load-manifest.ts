import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { ManifestError } from "./manifest-error.js";
import { parseManifest } from "./parse-manifest.js";
import type { LoadedPlugin, ManifestOptions } from "./types.js";

/** Reads `<dir>/plugin.yaml` and validates it. Throws ManifestError (missing file names the dir). */
export async function loadManifest(dir: string, options: ManifestOptions = {}): Promise<LoadedPlugin> {
  const absDir = resolve(dir);
  const file = join(absDir, "plugin.yaml");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new ManifestError(
      "missing-plugin-yaml",
      `no plugin.yaml in ${absDir}`,
      { file },
      {
        hint: "a plugin directory must contain plugin.yaml; check the path given to `capstan plugin install`",
        cause: e,
      },
    );
  }
  const { manifest, warnings } = parseManifest(text, file, options);
  // Relative host paths in allowedPaths mean "inside the plugin directory".
  if (manifest.extism) {
    const paths = manifest.extism.allowedPaths;
    manifest.extism.allowedPaths = Object.fromEntries(
      Object.entries(paths).map(([host, guest]) => [isAbsolute(host) ? host : resolve(absDir, host), guest]),
    );
  }
  return { dir: absDir, file, manifest, warnings };
}
