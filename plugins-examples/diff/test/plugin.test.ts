// The compiled plugin, run the way users run it: `capstan diff a.yaml b.yaml` (the built CLI,
// a temporary plugin home). Files come through the WASI sandbox, output through stdout.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPluginIfStale } from "@capstan/compiler";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { aliasBomb } from "./alias-bomb.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(dir, "test", "fixtures");
const cliDir = join(dir, "..", "..", "packages", "cli");
const capstan = join(
  cliDir,
  (JSON.parse(readFileSync(join(cliDir, "package.json"), "utf8")) as { bin: { capstan: string } }).bin
    .capstan,
);
const home = mkdtempSync(join(tmpdir(), "capstan-diff-home-"));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [capstan, "diff", ...args], {
    cwd: fixtures,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: home, CAPSTAN_PLUGINS: home, PWD: fixtures, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await buildPluginIfStale(dir, { skipOpt: true });
  mkdirSync(join(home, "diff"));
  for (const f of ["plugin.yaml", "plugin.wasm"]) copyFileSync(join(dir, f), join(home, "diff", f));
}, 120_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("capstan diff (Wasm)", () => {
  test("different sets: the diff on stdout, exit code 2", () => {
    const r = run(["before.yaml", "after.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("prod, web, Deployment (apps) has changed:");
    expect(r.stdout).toContain("-  replicas: 2\n+  replicas: 3\n");
    expect(r.stdout).not.toContain("\x1b[");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("2 changed, 1 added, 1 removed, 1 unchanged");
  });

  test("same sets: exit code 0; absolute paths work too", () => {
    const r = run([join(fixtures, "before.yaml"), "./before.yaml"]);
    expect(r).toMatchObject({ code: 0, stdout: "no differences (4 resources)\n" });
  });

  test("--color, and CLICOLOR_FORCE from the allowed environment", () => {
    expect(run(["--color", "before.yaml", "after.yaml"]).stdout).toContain("\x1b[31m-  replicas: 2\x1b[0m");
    expect(run(["before.yaml", "after.yaml"], { CLICOLOR_FORCE: "1" }).stdout).toContain(
      "\x1b[32m+  replicas: 3\x1b[0m",
    );
    expect(run(["before.yaml", "after.yaml"], { CLICOLOR_FORCE: "1", NO_COLOR: "1" }).stdout).not.toContain(
      "\x1b[",
    );
  });

  test("a missing file: a message on stderr naming it, exit code 1", () => {
    const r = run(["before.yaml", "missing.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`diff: open ${join(fixtures, "missing.yaml")}: no such file or directory`);
  });

  test("malformed YAML and an alias bomb: the file, line and column on stderr, exit code 1", () => {
    const tmp = mkdtempSync(join(tmpdir(), "capstan-diff-bad-"));
    try {
      writeFileSync(join(tmp, "bad.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n");
      writeFileSync(join(tmp, "bomb.yaml"), aliasBomb());
      const bad = run([join(tmp, "bad.yaml"), "before.yaml"]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^diff: .*bad\.yaml: line \d+, column \d+: /);
      const bomb = run(["before.yaml", join(tmp, "bomb.yaml")]);
      expect(bomb.code).toBe(1);
      expect(bomb.stderr).toMatch(
        /^diff: .*bomb\.yaml: line 6, column \d+: aliases expand to too many nodes/,
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test("usage errors", () => {
    const r = run(["only-one.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("expected two manifest files, got 1");
  });
});
