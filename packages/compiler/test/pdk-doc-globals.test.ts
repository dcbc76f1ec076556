// docs/pdk.md says which globals a plugin has ("Globals") and which it lacks ("What is
// missing, and what to use instead"): both tables are checked against a compiled plugin, so
// the page cannot promise a global the engine lacks or call missing one it has.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "@jest/globals";
import { compile } from "../src/compile.js";
import { callText, instantiate } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(join(here, "..", "..", "..", "docs", "pdk.md"), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "capstan-pdk-doc-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** First cells of the table under `heading`. */
function firstCells(heading: string): string[] {
  const at = doc.indexOf(`\n${heading}\n`);
  expect(at).toBeGreaterThan(0);
  const rows = doc
    .slice(at + heading.length + 2)
    .split("\n")
    .filter((l, i, all) => l.startsWith("|") && all.slice(0, i).every((p) => p.startsWith("|")));
  return rows.slice(2).map((r) => r.split(" | ")[0]!.replace(/^\|\s*/, ""));
}

/** Backticked plain identifiers of a cell (`Blob`, not `crypto.subtle` or `fs/promises`). */
const identifiers = (cell: string) =>
  [...cell.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!).filter((n) => n !== "require");

test("the globals docs/pdk.md lists exist in a plugin, and those it lists as missing do not", async () => {
  const present = firstCells("## Globals").flatMap(identifiers);
  // Rows that name a partial feature ("`Intl` beyond English/UTC", "`crypto.subtle` beyond ...")
  // are about parts of globals that exist; Node's modules are not globals.
  const missing = firstCells("## What is missing, and what to use instead")
    .filter((c) => !c.includes("beyond") && !c.includes("Node"))
    .flatMap(identifiers);
  expect(present).toEqual(expect.arrayContaining(["Host", "fetch", "Capstan", "Intl", "self"]));
  expect(missing).toEqual(expect.arrayContaining(["Atomics", "WebAssembly", "Blob", "setImmediate"]));
  const entry = join(tmp, "probe.js");
  writeFileSync(
    entry,
    `exports.helm_plugin_main = () => {
      const kind = (n) => typeof globalThis[n];
      Host.outputString(JSON.stringify({
        present: ${JSON.stringify(present)}.filter((n) => kind(n) === "undefined"),
        missing: ${JSON.stringify(missing)}.filter((n) => kind(n) !== "undefined"),
      }));
      return 0;
    };\n`,
  );
  const { wasm } = await compile({ entry, skipOpt: true });
  const p = await instantiate(wasm);
  const out = await callText(p, "helm_plugin_main", "");
  await p.close();
  // Names listed as present but absent, and listed as missing but there: both must be empty.
  expect(out.ok && JSON.parse(out.text)).toEqual({ present: [], missing: [] });
}, 60_000);
