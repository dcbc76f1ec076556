// @capstan/pdk/yaml inside a compiled plugin (the engine's libyaml, capstan-yaml.c), checked
// against the `yaml` npm package and the module's Node build on the same inputs.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { parseAllDocuments as npmParse } from "yaml";
import { compile } from "../src/compile.js";
import { callText, instantiate } from "./helpers.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures/pdk-yaml");
let wasm: Uint8Array;
let plugin: Awaited<ReturnType<typeof instantiate>>;

beforeAll(async () => {
  wasm = (await compile({ entry: join(fixture, "index.ts"), interfaceFile: join(fixture, "plugin.d.ts"), skipOpt: true })).wasm;
  plugin = await instantiate(wasm, { config: { "capstan.memory_mb": "64" } });
}, 120_000);

async function call(name: string, req: unknown): Promise<{ ok?: unknown; error?: string; line?: number; column?: number; yaml?: boolean }> {
  const r = await callText(plugin, name, JSON.stringify(req));
  if (!r.ok) throw new Error(r.error);
  return JSON.parse(r.text);
}

describe("native YAML", () => {
  test("smoke", async () => {
    const text = "a: 1\nb: [x, 'y', true, null, 0x10, 1.5, .inf]\n---\n# c\nk: v # keep\n";
    const r = await call("parse", { text, options: { positions: true }, path: ["b"] });
    console.log(JSON.stringify(r));
    console.log(JSON.stringify(await call("stringify", { value: { a: [1, "true", "x: y", "multi\nline", ""], b: { c: null }, e: [], f: {} } })));
    console.log(JSON.stringify(await call("merge", { text, path: [], patch: { metadata: { labels: { team: "x" } } } })));
    console.log(JSON.stringify(await call("parse", { text: "a: [1,\n" })));
    expect(npmParse(text).length).toBe(2);
  });
});
