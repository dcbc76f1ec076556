// What the entry bundle (dist/capstan.cjs, read on every plugin call) is made of, from the
// build's own record (dist/meta.entry.json): running a plugin must not parse the code that
// gets plugins (@capstan/distribution: archives, git, OCI, tar, semver) nor OpenPGP.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, test } from "@jest/globals";
import { requireBuild } from "./helpers.js";

let inputs: string[];
let commandInputs: string[];
beforeAll(() => {
  requireBuild();
  const dist = join(import.meta.dirname, "..", "dist");
  const read = (f: string) => Object.keys(JSON.parse(readFileSync(join(dist, f), "utf8")).inputs as object);
  inputs = read("meta.entry.json");
  commandInputs = read("meta.commands.json");
});

test("the entry holds the plugin path and no install code", () => {
  expect(inputs).toEqual(
    expect.arrayContaining([expect.stringMatching(/host\/src\/invokers\/invoke-cli\.ts$/)]),
  );
  const install = inputs.filter((f) =>
    /distribution\/src\/|node_modules\/(tar|semver|minipass|openpgp)\//.test(f),
  );
  expect(install).toEqual([]);
});

test("install-ish commands get @capstan/distribution from the commands bundle", () => {
  expect(commandInputs).toEqual(
    expect.arrayContaining([expect.stringMatching(/distribution\/src\/install\/install-plugin\.ts$/)]),
  );
});
