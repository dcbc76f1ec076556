// The release refuses before publishing anything when a package's build is missing or was
// made from other sources, and names the package; it publishes dependencies first and never
// a private package.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { checkBuild, prepare, publishablePackages } from "../src/release.mjs";

const buildLib = fileURLToPath(new URL("../../build/build-lib.mjs", import.meta.url));
const repo = mkdtempSync(join(tmpdir(), "capstan-release-checks-"));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

function pkg(dir: string, json: object, src: Record<string, string>): void {
  mkdirSync(join(repo, "packages", dir, "src"), { recursive: true });
  writeFileSync(join(repo, "packages", dir, "package.json"), JSON.stringify(json));
  for (const [f, text] of Object.entries(src)) writeFileSync(join(repo, "packages", dir, "src", f), text);
}
const build = (dir: string) =>
  execFileSync(process.execPath, [buildLib], { cwd: join(repo, "packages", dir) });

beforeAll(() => {
  pkg(
    "b",
    { name: "@t/b", version: "1.0.0", dependencies: { "@t/a": "workspace:*" } },
    { "index.ts": "export const b = 1;\n" },
  );
  pkg("a", { name: "@t/a", version: "1.0.0" }, { "index.ts": "export const a = 1;\n" });
  pkg("tool", { name: "@t/tool", version: "0.0.0", private: true }, { "index.ts": "export {};\n" });
  build("a");
  build("b");
});

test("public packages only, dependencies first", () => {
  expect(publishablePackages(repo).map((p: { json: { name: string } }) => p.json.name)).toEqual([
    "@t/a",
    "@t/b",
  ]);
});

test("a fresh build passes; a changed, added or missing source makes it stale", () => {
  const [a] = publishablePackages(repo);
  expect(() => checkBuild(a)).not.toThrow();
  writeFileSync(join(repo, "packages", "a", "src", "index.ts"), "export const a = 2;\n");
  expect(() => checkBuild(a)).toThrow(/^@t\/a: the build is stale/);
  build("a");
  expect(() => checkBuild(a)).not.toThrow();
  writeFileSync(join(repo, "packages", "a", "src", "extra.ts"), "export const x = 1;\n");
  expect(() => checkBuild(a)).toThrow(/^@t\/a: the build is stale/);
  build("a");
  rmSync(join(repo, "packages", "a", "dist"), { recursive: true });
  expect(() => checkBuild(a)).toThrow(/^@t\/a: not built \(dist\/\.build-lib\.json is missing\)/);
  try {
    checkBuild(a);
  } catch (e) {
    expect((e as { hint: string }).hint).toContain("npm run build");
  }
  build("a");
});

test("one stale package stops the release before anything is packed or published", async () => {
  writeFileSync(join(repo, "packages", "b", "src", "index.ts"), "export const b = 2;\n");
  const out = join(repo, "out");
  await expect(prepare(out, publishablePackages(repo))).rejects.toThrow(/^@t\/b: the build is stale/);
  expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
});

test("this repository: every package under packages/ is publishable; tools and samples stay private", () => {
  const root = fileURLToPath(new URL("../../..", import.meta.url));
  const pkgs = publishablePackages(root) as Array<{ dir: string; json: Record<string, unknown> }>;
  expect(pkgs.map((p) => p.json.name).sort()).toEqual(
    ["cli", "compiler", "distribution", "engine", "host", "manifest", "pdk", "signing"].map(
      (n) => `@capstan/${n}`,
    ),
  );
  for (const p of pkgs) {
    const exportsMap =
      (p.json.publishConfig as { exports?: Record<string, unknown> } | undefined)?.exports ?? {};
    expect([p.json.name, existsSync(join(p.dir, "README.md")), p.json.license, p.json.engines]).toEqual([
      p.json.name,
      true,
      "Apache-2.0",
      { node: ">=20" },
    ]);
    expect([p.json.name, JSON.stringify(exportsMap["."])]).toEqual([
      p.json.name,
      expect.stringMatching(/dist\/types\/.*\.d\.ts".*dist\/.*\.js"/),
    ]);
  }
  for (const dir of ["tools", "plugins-examples"]) {
    for (const d of readdirSync(join(root, dir))) {
      const file = join(root, dir, d, "package.json");
      if (existsSync(file))
        expect([file, JSON.parse(readFileSync(file, "utf8")).private]).toEqual([file, true]);
    }
  }
});
