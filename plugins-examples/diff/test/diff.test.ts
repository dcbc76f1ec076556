// The diff core: resource matching, hunks, colours, secrets, and the line diff against GNU diff.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { parseArgs, UsageError } from "../src/core/args.js";
import { diffSets } from "../src/core/diff-sets.js";
import { diffLines, hunks } from "../src/core/line-diff.js";
import { parseManifestSet } from "../src/core/resources.js";
import { aliasBomb } from "./alias-bomb.js";

const fx = (f: string) => readFileSync(join(dirname(fileURLToPath(import.meta.url)), "fixtures", f), "utf8");
const before = parseManifestSet(fx("before.yaml"), "before.yaml");
const after = parseManifestSet(fx("after.yaml"), "after.yaml");

describe("diffSets", () => {
  const r = diffSets(before, after);

  test("matches resources by identity; reordering keys and comments is no change", () => {
    expect({
      added: r.added,
      removed: r.removed,
      changed: r.changed,
      unchanged: r.unchanged,
      differs: r.differs,
    }).toEqual({
      added: 1,
      removed: 1,
      changed: 2,
      unchanged: 1,
      differs: true,
    });
    expect(r.text).not.toContain("web, Service");
  });

  test("prints helm-diff style headers and unified hunks", () => {
    expect(r.text).toContain("prod, web, Deployment (apps) has changed:\n@@ ");
    expect(r.text).toContain("-  replicas: 2\n+  replicas: 3\n");
    expect(r.text).toContain("-      - image: nginx:1.25\n+      - image: nginx:1.27\n");
    expect(r.text).toContain("new-config, ConfigMap has been added:\n@@ -0,0 +1,6 @@\n+apiVersion: v1\n");
    expect(r.text).toContain("old-config, ConfigMap has been removed:\n");
    expect(r.text.trimEnd().split("\n").at(-1)).toBe("2 changed, 1 added, 1 removed, 1 unchanged");
  });

  test("Secret values are masked, but a changed value is still reported", () => {
    expect(r.text).toContain("creds, Secret has changed:");
    expect(r.text).toContain("-  password: (redacted)\n+  password: (redacted, changed)");
    expect(r.text).not.toContain("czNjcjN0");
    expect(diffSets(before, after, { showSecrets: true }).text).toContain(
      "-  password: czNjcjN0\n+  password: bjN3cDQ1NQ==",
    );
  });

  test("colours only when asked", () => {
    expect(r.text).not.toContain("\x1b[");
    const colored = diffSets(before, after, { color: true }).text;
    expect(colored).toContain("\x1b[31m-  replicas: 2\x1b[0m");
    expect(colored).toContain("\x1b[32m+  replicas: 3\x1b[0m");
  });

  test("identical sets: no differences", () => {
    const same = diffSets(before, parseManifestSet(fx("before.yaml"), "again.yaml"));
    expect(same.differs).toBe(false);
    expect(same.text).toBe("no differences (4 resources)\n");
  });

  test("duplicates and non-resources are errors naming the file", () => {
    const dup =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
    expect(() => parseManifestSet(dup, "x.yaml")).toThrow("x.yaml: a, ConfigMap appears twice");
    expect(() => parseManifestSet("just: data\n", "y.yaml")).toThrow(
      "y.yaml: document 1 is not a Kubernetes resource",
    );
  });
});

describe("bad YAML", () => {
  test("malformed YAML and alias bombs are errors naming the file, line and column", () => {
    expect(() => parseManifestSet("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n", "bad.yaml")).toThrow(
      /^bad\.yaml: line \d+, column \d+: /,
    );
    expect(() => parseManifestSet(aliasBomb(), "bomb.yaml")).toThrow(
      /^bomb\.yaml: line 6, column \d+: aliases expand to too many nodes/,
    );
  });

  test("anchors and aliases within the cap are resolved", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {x: y}}\ndata: *l\n";
    expect(parseManifestSet(text, "ok.yaml").get("/ConfigMap//a")?.object.data).toEqual({ x: "y" });
  });
});

describe("line diff", () => {
  test("hunks equal GNU diff -u on random edits", () => {
    const dir = mkdtempSync(join(tmpdir(), "capstan-diff-"));
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 25; round++) {
      const a = Array.from({ length: 30 + rand(40) }, () => `line ${rand(12)}`);
      const b = a.flatMap((l) => {
        const r = rand(10);
        return r === 0 ? [] : r === 1 ? [l, `new ${rand(5)}`] : r === 2 ? [`changed ${rand(5)}`] : [l];
      });
      writeFileSync(join(dir, "a"), `${a.join("\n")}\n`);
      writeFileSync(join(dir, "b"), `${b.join("\n")}\n`);
      const gnu = spawnSync("diff", ["-u", join(dir, "a"), join(dir, "b")], { encoding: "utf8" })
        .stdout.split("\n")
        .slice(2)
        .join("\n");
      const ours = hunks(diffLines(a, b), 3).flatMap((h) => [h.header, ...h.edits.map((e) => e.op + e.line)]);
      // Both are minimal edit scripts; where several exist they may pick different ones, so
      // compare what any minimal script must agree on: the counts of removed and added lines.
      const count = (lines: string[], c: string) =>
        lines.filter((l) => l.startsWith(c) && !l.startsWith(`${c}${c}${c}`)).length;
      const gnuLines = gnu.split("\n");
      expect([count(ours, "-"), count(ours, "+")]).toEqual([count(gnuLines, "-"), count(gnuLines, "+")]);
      // And applying our script to a gives b.
      const edits = diffLines(a, b);
      expect(edits.filter((e) => e.op !== "+").map((e) => e.line)).toEqual(a);
      expect(edits.filter((e) => e.op !== "-").map((e) => e.line)).toEqual(b);
    }
  });

  test("hunk headers follow diff -u for a simple change", () => {
    const a = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
    const b = ["1", "2", "3", "4", "five", "6", "7", "8", "9", "10"];
    expect(hunks(diffLines(a, b))[0]?.header).toBe("@@ -2,7 +2,7 @@");
  });
});

describe("args", () => {
  test("flags and files", () => {
    expect(
      parseArgs(["--no-color", "-C", "1", "a.yaml", "b.yaml", "--show-secrets", "--namespace=x"]),
    ).toEqual({
      before: "a.yaml",
      after: "b.yaml",
      context: 1,
      color: false,
      showSecrets: true,
      namespace: "x",
      help: false,
    });
  });
  test.each([[["a"]], [["a", "b", "c"]], [["--bogus", "a", "b"]], [["-C", "x", "a", "b"]]])(
    "%j is a usage error",
    (argv) => {
      expect(() => parseArgs(argv)).toThrow(UsageError);
    },
  );
});
