// `capstan plugin build` in a project whose @capstan/* packages are another release than the
// CLI: refused before compiling, with the npm command that aligns them.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { capstan, capstanBin, type Home, makeHome, requireBuild } from "./helpers.js";

let home: Home;
const version: string = JSON.parse(
  readFileSync(join(capstanBin, "..", "..", "package.json"), "utf8"),
).version;
beforeAll(() => {
  requireBuild();
  home = makeHome();
});
afterAll(() => home.remove());

function project(name: string, pdkVersion: string): string {
  const dir = join(home.root, name);
  mkdirSync(join(dir, "node_modules", "@capstan", "pdk"), { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    `apiVersion: v1\nname: ${name}\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n`,
  );
  writeFileSync(
    join(dir, "node_modules", "@capstan", "pdk", "package.json"),
    JSON.stringify({ name: "@capstan/pdk", version: pdkVersion }),
  );
  return dir;
}

test("a project with another @capstan/pdk release is refused with the fixing command", async () => {
  const dir = project("old", "0.0.1");
  const r = await capstan(home, ["plugin", "build", dir]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`the project has @capstan/pdk 0.0.1, but this capstan is ${version}`);
  expect(r.stderr).toContain(`npm install @capstan/pdk@${version} @capstan/cli@${version}`);
});

test("a project with the same release gets past the check (to the compiler)", async () => {
  const dir = project("same", version);
  const r = await capstan(home, ["plugin", "build", dir]);
  expect(r.stderr).not.toContain("version-mismatch");
  expect(r.stderr).not.toContain("but this capstan is");
});
