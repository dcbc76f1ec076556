// The package map of ARCHITECTURE.md, enforced: every import of a @capstan/* package from a
// package's src/ must be an allowed arrow, the package graph has no cycle, nothing imports the
// CLI, and public APIs are named re-exports (no `export *`, no default exports).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const packagesDir = join(root, "packages");

/** ARCHITECTURE.md's "may import" column. Type-only imports count too: they are arrows. */
const allowed: Record<string, string[]> = {
  manifest: [],
  signing: ["manifest"],
  host: ["manifest", "signing"],
  distribution: ["host", "manifest", "signing"],
  engine: [],
  pdk: ["manifest"],
  compiler: ["engine", "pdk", "manifest"],
  cli: ["host", "distribution", "compiler", "signing", "manifest"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts)$/.test(e.name) && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

const importRe =
  /(?:import|export)\s[^"']*?from\s*["']@capstan\/([a-z-]+)[^"']*["']|import\(\s*["']@capstan\/([a-z-]+)[^"']*["']\s*\)/g;

function importsOf(pkg: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(join(packagesDir, pkg, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(importRe)) {
      const target = m[1] ?? m[2];
      if (target && target !== pkg && !found.has(target)) found.set(target, file.slice(root.length));
    }
  }
  return found;
}

const packages = readdirSync(packagesDir).filter(
  (p) => p in allowed || readdirSync(join(packagesDir, p)).includes("src"),
);

describe("package imports follow ARCHITECTURE.md", () => {
  test("the scanner sees real imports (so an empty result means something)", () => {
    expect([...importsOf("cli").keys()]).toEqual(expect.arrayContaining(["host", "manifest"]));
  });
  test("every package is on the map", () => {
    expect(packages.filter((p) => !(p in allowed))).toEqual([]);
  });
  for (const pkg of packages) {
    test(`${pkg} imports only what it may`, () => {
      const bad = [...importsOf(pkg)].filter(([target]) => !(allowed[pkg] ?? []).includes(target));
      expect(bad.map(([target, file]) => `${file} imports @capstan/${target}`)).toEqual([]);
    });
  }
  test("the allowed graph itself has no cycle and nothing imports cli", () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (p: string, path: string[]): void => {
      if (done.has(p)) return;
      if (visiting.has(p)) throw new Error(`cycle: ${[...path, p].join(" -> ")}`);
      visiting.add(p);
      for (const q of allowed[p] ?? []) visit(q, [...path, p]);
      visiting.delete(p);
      done.add(p);
    };
    for (const p of Object.keys(allowed)) visit(p, []);
    expect(Object.values(allowed).some((deps) => deps.includes("cli"))).toBe(false);
  });
});

describe("public APIs are named re-exports", () => {
  for (const pkg of packages) {
    test(`${pkg}: no export * and no default export in src/`, () => {
      const offenders = sourceFiles(join(packagesDir, pkg, "src")).filter((f) =>
        /^\s*export\s+\*\s+from|^\s*export\s+default\s/m.test(readFileSync(f, "utf8")),
      );
      expect(offenders.map((f) => f.slice(root.length))).toEqual([]);
    });
  }
});
