// schemas/plugin.v1.json and plugin.legacy.json describe the same files parseManifest accepts:
// every good fixture validates, every bad fixture that is valid YAML is rejected.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { legacyPluginSchema, pluginSchema } from "@capstan/manifest";
import { expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { parse } from "yaml";

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
const v1 = ajv.compile(pluginSchema);
const legacy = ajv.compile(legacyPluginSchema);

function read(kind: string, name: string): unknown {
  return parse(readFileSync(join(fixtures, kind, name, "plugin.yaml"), "utf8"), {
    version: "1.1",
    uniqueKeys: false,
  });
}
function schemaAccepts(doc: unknown): boolean {
  const api = (doc as { apiVersion?: unknown } | null)?.apiVersion;
  return api === "v1" ? v1(doc) : legacy(doc);
}

// Rules the schemas cannot state: YAML syntax and duplicate keys, empty files, URL and
// path syntax checked in code, rules across keys (mounts that overlap, a relative host path
// leaving the plugin directory), and typo'd runtimeConfig keys (only a warning).
const notSchemaRules = new Set([
  "malformed-yaml",
  "duplicate-key",
  "duplicate-top-level-key",
  "empty-file",
  "bad-source-url",
  "duplicate-guest-path",
  "nested-guest-path",
  "relative-host-escape",
  "tmp-guest-path",
]);

test.each(readdirSync(join(fixtures, "good")).map((n) => [n]))("schema accepts good/%s", (name) => {
  const doc = read("good", name);
  expect([schemaAccepts(doc), v1.errors ?? legacy.errors ?? null]).toEqual([true, null]);
});

test.each(
  readdirSync(join(fixtures, "bad"))
    .filter((n) => !notSchemaRules.has(n))
    .map((n) => [n]),
)("schema rejects bad/%s", (name) => {
  expect(schemaAccepts(read("bad", name))).toBe(false);
});
