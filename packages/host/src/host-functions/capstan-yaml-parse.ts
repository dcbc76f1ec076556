// capstan_yaml_parse: YAML (one or many documents) to JSON values. Post-renderers edit
// multi-document manifests, and a YAML parser inside every plugin is large and slow under
// QuickJS; the host's parser is safe here: pure computation, alias expansion capped.
import type { HostFunction } from "./host-function.js";

let yaml: typeof import("yaml") | null = null;

/** Input `{"yaml": string}`; result: the documents as JSON values, in order. */
export const capstanYamlParse: HostFunction = {
  name: "capstan_yaml_parse",
  summary: 'parse YAML text into a list of documents: {"yaml": string} -> [value, ...]',
  async prepare() {
    yaml ??= await import("yaml");
  },
  run(input) {
    const text = (input as { yaml?: unknown } | null)?.yaml;
    if (typeof text !== "string") throw new Error('input must be {"yaml": string}');
    if (!yaml) throw new Error("yaml parser not loaded");
    const docs = yaml.parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    return list.map((doc, i) => {
      const err = doc.errors[0];
      if (err) throw new Error(`document ${i + 1}: ${err.message}`);
      return doc.toJS({ maxAliasCount: 100 }) ?? null;
    });
  },
};
