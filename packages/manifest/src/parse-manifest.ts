import type { ManifestOptions, ParsedManifest } from "./types.js";
import { ManifestError } from "./manifest-error.js";

/** Parses and validates plugin.yaml text; `file` is used in messages. Throws ManifestError. */
export function parseManifest(text: string, file: string, options: ManifestOptions = {}): ParsedManifest {
  void text;
  void options;
  throw new ManifestError("not-implemented", "parseManifest is not implemented yet", { file });
}
