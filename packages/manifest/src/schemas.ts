// The JSON Schemas in ../schemas are the single source for message shapes (and the raw
// plugin.yaml shape). They are read from disk rather than imported so that Node 20 prints no
// "JSON modules are experimental" warning; src/ and dist/ both sit one level below the package.
import { readFileSync } from "node:fs";

/** The message schemas, keyed by message name. */
export type MessageName =
  | "cli.input"
  | "cli.output"
  | "getter.input"
  | "getter.output"
  | "postrenderer.input"
  | "postrenderer.output";

/** Every message name, in a stable order. */
export const messageNames: readonly MessageName[] = [
  "cli.input",
  "cli.output",
  "getter.input",
  "getter.output",
  "postrenderer.input",
  "postrenderer.output",
];

/** A JSON Schema document (draft-07). */
export type JsonSchema = Record<string, unknown>;

function readSchema(file: string): JsonSchema {
  return JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), "utf8")) as JsonSchema;
}

/** Schema file name of a message (e.g. `cli.input` -> `cli.v1.input.json`). */
export function messageSchemaFile(name: MessageName): string {
  const [type, dir] = name.split(".") as [string, string];
  return `${type}.v1.${dir}.json`;
}

/** Message JSON Schemas by name; other packages' codegen feeds on them. */
export const messageSchemas: Readonly<Record<MessageName, JsonSchema>> = Object.freeze(
  Object.fromEntries(messageNames.map((n) => [n, readSchema(messageSchemaFile(n))])) as Record<
    MessageName,
    JsonSchema
  >,
);

/** JSON Schema of an apiVersion v1 plugin.yaml (raw, before normalization). */
export const pluginSchema: JsonSchema = readSchema("plugin.v1.json");
/** JSON Schema of a legacy (Helm 3) plugin.yaml. */
export const legacyPluginSchema: JsonSchema = readSchema("plugin.legacy.json");
