// Every global TypeScript's ES2020 lib declares either exists in a compiled plugin (Intl comes
// from the PDK prelude) or is listed in UNAVAILABLE_GLOBALS, whose use fails the build by name
// (issue 12.2): never a type-checked name that is a ReferenceError at run time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import ts from "typescript";
import { compile } from "../src/compile.js";
import { buildPlugin } from "../src/plugin/build-plugin.js";
import { UNAVAILABLE_GLOBALS } from "../src/plugin/unavailable-globals.js";
import { callText, instantiate } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "capstan-globals-"));
let libGlobals: string[] = [];

beforeAll(() => {
  const file = join(tmp, "empty.ts");
  writeFileSync(file, "export {};\n");
  const program = ts.createProgram([file], { lib: ["lib.es2020.d.ts"], types: [], noEmit: true });
  const sf = program.getSourceFile(file) as ts.SourceFile;
  libGlobals = program
    .getTypeChecker()
    .getSymbolsInScope(sf, ts.SymbolFlags.Value)
    .filter((s) => (s.declarations ?? []).every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile())))
    .map((s) => s.name)
    .filter((n) => n !== "undefined")
    .sort();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test("the globals the lib declares and a plugin lacks are exactly UNAVAILABLE_GLOBALS; Intl works", async () => {
  expect(libGlobals).toContain("Intl");
  expect(libGlobals.length).toBeGreaterThan(50);
  const entry = join(tmp, "probe.js");
  writeFileSync(
    entry,
    `exports.helm_plugin_main = () => {
      const names = ${JSON.stringify(libGlobals)};
      Host.outputString(JSON.stringify({
        missing: names.filter((n) => typeof globalThis[n] === "undefined"),
        number: (16134).toLocaleString("en-US"),
        plural: new Intl.PluralRules("en", { type: "ordinal" }).select(22),
        date: new Date(Date.UTC(2026, 11, 4, 16, 55, 7)).toLocaleString("en-US"),
        sorted: ["b", "B", "a", "ä"].sort((x, y) => x.localeCompare(y)),
      }));
      return 0;
    };\n`,
  );
  const { wasm } = await compile({ entry, skipOpt: true });
  const p = await instantiate(wasm);
  const out = await callText(p, "helm_plugin_main", "");
  await p.close();
  expect(out.ok && JSON.parse(out.text)).toEqual({
    missing: Object.keys(UNAVAILABLE_GLOBALS).sort(),
    number: "16,134",
    plural: "two",
    date: "12/4/2026, 4:55:07 PM",
    sorted: ["a", "ä", "b", "B"],
  });
}, 60_000);

test("using an unavailable global fails `plugin build` with its name and position", async () => {
  const dir = join(tmp, "atomics");
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    "apiVersion: v1\nname: atomics\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n",
  );
  writeFileSync(
    join(dir, "src/index.ts"),
    "export function helm_plugin_main(): number {\n  const a = new Int32Array(new SharedArrayBuffer(4));\n  return Atomics.add(a, 0, 1);\n}\n",
  );
  const err = (await buildPlugin(dir, { skipOpt: true }).catch((e) => e)) as {
    code: string;
    message: string;
  };
  expect(err.code).toBe("COMPILER_TYPES");
  expect(err.message).toContain(
    'src/index.ts:3:10: "Atomics" does not exist in a Capstan plugin: the engine is single-threaded',
  );
}, 60_000);
