// `"types": ["@capstan/pdk"]` gives plugin authors the globals and the helpers' types:
// type-check a fixture plugin the way an author's project would (package linked in node_modules).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "@jest/globals";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const fixtures = join(pkg, "test", "fixtures", "author-types");
const tsc = join(
  createRequire(import.meta.url).resolve("typescript/package.json", { paths: [pkg] }),
  "..",
  "bin",
  "tsc",
);
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capstan-pdk-types-"));
  mkdirSync(join(dir, "node_modules", "@capstan"), { recursive: true });
  symlinkSync(pkg, join(dir, "node_modules", "@capstan", "pdk"));
  copyFileSync(join(fixtures, "interface.d.ts"), join(dir, "interface.d.ts"));
  const compilerOptions = {
    target: "ES2020",
    lib: ["ES2020"],
    types: ["@capstan/pdk"],
    strict: true,
    module: "ESNext",
    moduleResolution: "Bundler",
    noEmit: true,
    skipLibCheck: true,
  };
  const files = ["plugin.ts", "interface.d.ts"];
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "author-plugin", type: "module", private: true }),
  );
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  const nodeNext = { ...compilerOptions, module: "NodeNext", moduleResolution: "NodeNext" };
  writeFileSync(join(dir, "tsconfig.nodenext.json"), JSON.stringify({ compilerOptions: nodeNext, files }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function typecheck(source: string, config = "tsconfig.json"): { status: number | null; out: string } {
  copyFileSync(source, join(dir, "plugin.ts"));
  const r = spawnSync(process.execPath, [tsc, "-p", join(dir, config)], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

test("a plugin using every global and a helper type-checks with only @capstan/pdk types", () => {
  const r = typecheck(join(fixtures, "plugin.ts"));
  expect(r.out).toBe("");
  expect(r.status).toBe(0);
});

test("the same plugin type-checks with NodeNext module resolution", () => {
  const r = typecheck(join(fixtures, "plugin.ts"), "tsconfig.nodenext.json");
  expect(r.out).toBe("");
  expect(r.status).toBe(0);
});

test("mistakes are reported (wrong handler result, DOM globals absent)", () => {
  const r = typecheck(join(fixtures, "bad.ts.txt"));
  expect(r.status).not.toBe(0);
  expect(r.out).toMatch(/plugin\.ts\(3,.*TS2345|not assignable/);
  expect(r.out).toMatch(/Cannot find name 'document'/);
});
