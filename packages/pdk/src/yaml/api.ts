// The functions of `@capstan/pdk/yaml`, over a backend (native in plugins, `yaml` in Node).
// Limits are on by default: nesting depth and alias expansion (alias bombs), like the host's
// capstan_yaml_* functions; the memory cap of the plugin covers the parser too.
import type { YamlBackend } from "./backend.js";
import { YamlDocument } from "./document.js";
import { YamlEditor } from "./editor.js";
import { asYamlError, YamlError } from "./errors.js";

// What both entries (native.ts, node.ts) export besides the bound functions.
export type { YamlNode, YamlPath } from "./document.js";
export type { MergeOptions } from "./editor.js";
export { valueAt } from "./editor.js";
export { YamlDocument, YamlEditor, YamlError };

/** Options of parseAllDocuments and parse. */
export interface ParseOptions {
  /** Record node positions (doc.node(path), YamlEditor). Default false (faster, less memory). */
  positions?: boolean;
  /** Deepest nesting of maps and lists accepted. Default 1000. */
  maxDepth?: number;
  /** Nodes that aliases may add to one document when expanded. Default 1,000,000. */
  maxAliasNodes?: number;
}

/** Options of stringify. */
export interface StringifyOptions {
  /** Deepest nesting written (also stops cycles). Default 1000; at most 2000 in the engine. */
  maxDepth?: number;
}

/** The module's functions bound to one backend. */
export interface YamlModule {
  /** Parses every document of a stream; `positions: true` records where each node is. */
  parseAllDocuments(text: string, options?: ParseOptions): YamlDocument[];
  /** Parses a single-document text into a plain value (null when empty). */
  parse(text: string, options?: ParseOptions): unknown;
  /** Writes a plain value as one YAML document, in the Go-YAML layout Helm and kubectl print. */
  stringify(value: unknown, options?: StringifyOptions): string;
  /** An editor patching `text` in place (parse it with `positions: true`). */
  edit(text: string): YamlEditor;
}

/** Binds the module's functions to `backend` (missing: every call throws, naming why). */
export function yamlModule(backend: YamlBackend | undefined, missing: string): YamlModule {
  const b = (): YamlBackend => {
    if (!backend) throw new YamlError(missing);
    return backend;
  };
  const stringify = (value: unknown, options: StringifyOptions = {}): string => {
    try {
      return b().stringify(value, options.maxDepth ?? 1000);
    } catch (e) {
      return asYamlError(e);
    }
  };
  const parseAllDocuments = (text: string, options: ParseOptions = {}): YamlDocument[] => {
    if (typeof text !== "string") throw new YamlError("parseAllDocuments: text must be a string");
    try {
      const raw = b().parse(
        text,
        options.positions === true,
        options.maxDepth ?? 1000,
        options.maxAliasNodes ?? 1_000_000,
      );
      return raw.map((r) => new YamlDocument(text, r));
    } catch (e) {
      return asYamlError(e);
    }
  };
  return {
    parseAllDocuments,
    parse(text, options) {
      const docs = parseAllDocuments(text, options);
      if (docs.length > 1) throw new YamlError(`parse: expected one document, found ${docs.length}`);
      return docs[0]?.value ?? null;
    },
    stringify,
    edit: (text) => new YamlEditor(text, (v) => stringify(v)),
  };
}
