// `@capstan/pdk/yaml` inside a plugin (the compiler's "capstan" export condition): YAML
// parsing and emitting in the engine's C (libyaml), reached through the prelude's hook.

import { yamlModule } from "./api.js";
import type { YamlBackend } from "./backend.js";

const native = (globalThis as unknown as Record<symbol, YamlBackend | undefined>)[Symbol.for("capstan.yaml")];
const yaml = yamlModule(
  native,
  "@capstan/pdk/yaml: this engine has no native YAML (rebuild the plugin with a current @capstan/compiler)",
);

export type { MergeOptions, ParseOptions, StringifyOptions, YamlModule, YamlNode, YamlPath } from "./api.js";
export { valueAt, YamlDocument, YamlEditor, YamlError } from "./api.js";
export const { parseAllDocuments, parse, stringify, edit } = yaml;
