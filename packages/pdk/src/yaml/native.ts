// `@capstan/pdk/yaml` inside a plugin (the compiler's "capstan" export condition): YAML
// parsing and emitting in the engine's C (libyaml), reached through the prelude's hook.

import { yamlModule } from "./api.js";
import type { YamlBackend } from "./backend.js";

const native = (globalThis as unknown as Record<symbol, YamlBackend | undefined>)[Symbol.for("capstan.yaml")];
const yaml = yamlModule(
  native,
  "@capstan/pdk/yaml: this engine has no native YAML (rebuild the plugin with a current @capstan/compiler)",
);

export type { ParseOptions, StringifyOptions } from "./api.js";
export type { YamlNode, YamlPath } from "./document.js";
export { YamlDocument } from "./document.js";
export type { MergeOptions } from "./editor.js";
export { valueAt, YamlEditor } from "./editor.js";
export { YamlError } from "./errors.js";
/** Parses every document of a stream; `positions: true` records where each node is. */
export const parseAllDocuments = yaml.parseAllDocuments;
/** Parses a single-document text into a plain value (null when empty). */
export const parse = yaml.parse;
/** Writes a plain value as one YAML document, in the Go-YAML layout Helm and kubectl print. */
export const stringify = yaml.stringify;
/** An editor patching `text` in place (parse it with `positions: true`). */
export const edit = yaml.edit;
