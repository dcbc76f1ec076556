// package.json and plugin.yaml of a plugin project must state one version: `capstan plugin
// build` and `plugin package` refuse a drifted project (exit 2, both files named), before
// compiling or writing anything; projects without a package.json version are not checked.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { capstan, type Home, makeHome, requireBuild } from "./helpers.js";

let home: Home;
beforeAll(() => {
  requireBuild();
  home = makeHome();
});
afterAll(() => home.remove());

function project(name: string, pkgVersion: string | undefined, yamlVersion: string): string {
  const dir = join(home.root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    `name: ${name}\nversion: ${yamlVersion}\nusage: "drift test"\ncommand: "true"\n`,
  );
  writeFileSync(join(dir, ".helmignore"), "package.json\n");
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, ...(pkgVersion === undefined ? {} : { version: pkgVersion }) }),
  );
  return dir;
}

test("build and package refuse package.json 0.2.0 against plugin.yaml 0.1.0, naming both files", async () => {
  const dir = project("drift", "0.2.0", "0.1.0");
  for (const args of [
    ["plugin", "build", dir],
    ["plugin", "package", dir, "-d", "out"],
  ]) {
    const r = await capstan(home, args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `error: ${dir}: package.json has version 0.2.0 but plugin.yaml has version 0.1.0\n` +
        `hint: set the same version in both ${join(dir, "package.json")} and ${join(dir, "plugin.yaml")} (\`npm version\` changes only package.json)\n`,
    );
  }
  expect(existsSync(join(home.root, "out"))).toBe(false);
});

test("equal versions, or a package.json without one, package as usual", async () => {
  const same = project("same", "1.0.0", "1.0.0");
  const a = await capstan(home, ["plugin", "package", same, "-d", "out-same"]);
  expect(a.stderr).toBe("");
  expect(a.code).toBe(0);
  expect(existsSync(join(home.root, "out-same", "same-1.0.0.tgz"))).toBe(true);
  const unversioned = project("unversioned", undefined, "3.0.0");
  const b = await capstan(home, ["plugin", "package", unversioned, "-d", "out-unversioned"]);
  expect(b.code).toBe(0);
});
