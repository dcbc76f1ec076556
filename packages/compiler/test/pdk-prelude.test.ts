// Compiles a js-pdk style plugin with the real PDK prelude (@capstan/pdk dist/prelude.js)
// and runs it through @extism/extism.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "@jest/globals";
import { compile } from "../src/compile.js";
import { callText, instantiate } from "./helpers.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures/hello");
let wasm: Uint8Array;

beforeAll(async () => {
  wasm = (
    await compile({
      entry: join(fixture, "index.ts"),
      interfaceFile: join(fixture, "plugin.d.ts"),
      skipOpt: true,
    })
  ).wasm;
});

test("hello plugin: Host, Config and console through the PDK prelude", async () => {
  const logs: string[] = [];
  const p = await instantiate(wasm, { config: { greeting: "Howdy" }, logs });
  expect(await callText(p, "greet", "world")).toEqual({ ok: true, text: "Howdy, world!" });
  expect(logs.some((l) => l.includes("greeting world"))).toBe(true);
  await p.close();
});

test("compiling the same plugin twice gives identical bytes", async () => {
  const again = (
    await compile({
      entry: join(fixture, "index.ts"),
      interfaceFile: join(fixture, "plugin.d.ts"),
      skipOpt: true,
    })
  ).wasm;
  expect(Buffer.compare(Buffer.from(again), Buffer.from(wasm))).toBe(0);
});

test("helm_plugin_main with JSON and TextEncoder/TextDecoder", async () => {
  const p = await instantiate(wasm);
  expect(await callText(p, "helm_plugin_main", JSON.stringify({ n: 21 }))).toEqual({
    ok: true,
    text: JSON.stringify({ doubled: 42, text: "ü" }),
  });
  await p.close();
});
