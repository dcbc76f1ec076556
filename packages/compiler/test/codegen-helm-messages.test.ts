// Helm message types come from @capstan/manifest's JSON Schemas through the same generator as
// XTP schemas. The output is committed as a snapshot; this test regenerates and compares it
// (UPDATE_CODEGEN_SNAPSHOTS=1 rewrites it), type-checks it and runs its decoders on the
// schemas' own examples.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { messageSchemas } from "@capstan/manifest";
import { describe, expect, test } from "@jest/globals";
import { generateHelmMessageTypes, jsonSchemasToModel } from "../src/codegen/index.js";
import { loadTypes, typecheck } from "./codegen/typecheck.js";

const file = join(dirname(fileURLToPath(import.meta.url)), "codegen", "fixtures", "helm-messages.ts.txt");
const text = generateHelmMessageTypes(messageSchemas);

describe("Helm message types from the manifest JSON Schemas", () => {
  test("the committed snapshot is up to date", () => {
    if (process.env.UPDATE_CODEGEN_SNAPSHOTS === "1") writeFileSync(file, text);
    expect(existsSync(file) ? readFileSync(file, "utf8") : "missing").toBe(text);
  });

  test("it type-checks under strict settings", () => {
    expect(typecheck({ "types.ts": text })).toEqual([]);
  });

  test("the model has one named type per message plus the getter options", () => {
    const names = jsonSchemasToModel(messageSchemas).schemas.map((s) => s.name);
    for (const n of [
      "CliInput",
      "CliOutput",
      "GetterInput",
      "GetterInputOptions",
      "GetterOutput",
      "PostrendererInput",
      "PostrendererOutput",
    ]) {
      expect(names).toContain(n);
    }
    expect(text).toContain("manifests: string | Record<string, unknown>;");
    expect(text).toContain("extraArgs?: string[] | null;");
  });

  test("every schema example decodes and re-encodes to itself", async () => {
    const t = await loadTypes(text);
    for (const [name, schema] of Object.entries(messageSchemas)) {
      const title = String((schema as { title: string }).title);
      const decode = t[`decode${title}`] as (j: unknown, p: string) => unknown;
      const encode = t[`encode${title}`] as (v: unknown) => unknown;
      for (const ex of (schema as { examples?: unknown[] }).examples ?? []) {
        expect([name, JSON.parse(JSON.stringify(encode(decode(ex, "input"))))]).toEqual([name, ex]);
      }
    }
    const decodeIn = t.decodePostrendererInput as (j: unknown, p: string) => unknown;
    expect(() => decodeIn({ manifests: 3 }, "input")).toThrow(
      "input.manifests: expected string or Record<string, unknown>",
    );
  });
});
