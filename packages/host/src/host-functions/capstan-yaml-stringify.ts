// capstan_yaml_stringify: JSON values to multi-document YAML, the inverse of
// capstan_yaml_parse (post-renderers parse, edit and write manifests back).
import type { HostFunction } from "./host-function.js";

let yaml: typeof import("yaml") | null = null;

/** Input `{"documents": [value, ...]}`; result: YAML text with `---` between documents. */
export const capstanYamlStringify: HostFunction = {
  name: "capstan_yaml_stringify",
  summary: 'write documents as YAML: {"documents": [value, ...]} -> string',
  async prepare() {
    yaml ??= await import("yaml");
  },
  run(input) {
    const docs = (input as { documents?: unknown } | null)?.documents;
    if (!Array.isArray(docs)) throw new Error('input must be {"documents": [value, ...]}');
    const y = yaml;
    if (!y) throw new Error("yaml writer not loaded");
    return docs.map((d) => y.stringify(d, { lineWidth: 0 })).join("---\n");
  },
};
