// docs/messages.md and the tables in docs/plugin-yaml.md are generated from the schemas by
// scripts/gen-docs.mjs; this fails when someone edits a schema without regenerating them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
// @ts-expect-error: a plain .mjs build script without type declarations.
import { docsDir, renderMessages, renderPluginYaml } from "../scripts/gen-docs.mjs";

test("docs/messages.md is current (run node packages/manifest/scripts/gen-docs.mjs)", () => {
  expect(readFileSync(join(docsDir, "messages.md"), "utf8")).toBe(renderMessages());
});

test("docs/plugin-yaml.md tables are current (run node packages/manifest/scripts/gen-docs.mjs)", () => {
  const current = readFileSync(join(docsDir, "plugin-yaml.md"), "utf8");
  expect(current).toBe(renderPluginYaml(current));
});
