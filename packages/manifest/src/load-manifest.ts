import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { ManifestError } from "./manifest-error.js";
import { parseManifest } from "./parse-manifest.js";
import type { LoadedPlugin, ManifestOptions } from "./types.js";

/** Largest plugin.yaml loadManifest reads (1 MiB). */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Reads `<dir>/plugin.yaml` and validates it. Throws ManifestError (missing file names the dir). */
export async function loadManifest(dir: string, options: ManifestOptions = {}): Promise<LoadedPlugin> {
  const absDir = resolve(dir);
  const file = join(absDir, "plugin.yaml");
  const text = await readManifestFile(absDir, file);
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

async function readManifestFile(absDir: string, file: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw Object.assign(new Error("not a regular file"), { code: "EISDIR" });
    size = info.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
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
    throw unreadable(file, e);
  }
  // A manifest is a few hundred bytes; refuse to parse a huge one from an untrusted archive.
  if (size > MAX_MANIFEST_BYTES) {
    throw new ManifestError(
      "manifest-too-large",
      `plugin.yaml is ${size} bytes (limit ${MAX_MANIFEST_BYTES})`,
      { file },
      { hint: "a plugin.yaml holds metadata only; move data into files next to it" },
    );
  }
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw unreadable(file, e);
  }
}

function unreadable(file: string, e: unknown): ManifestError {
  const code = (e as NodeJS.ErrnoException).code ?? "error";
  return new ManifestError(
    "unreadable-plugin-yaml",
    `cannot read plugin.yaml: ${code}: ${(e as Error).message}`,
    { file },
    { hint: "plugin.yaml must be a readable regular file", cause: e },
  );
}
