// generated/* (types and precompiled validators) must be exactly what the schemas produce now.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
// @ts-expect-error: a plain .mjs build script without type declarations.
import { generatedDir, render } from "../scripts/gen-types.mjs";

test("generated types match the schemas", async () => {
  const fresh = (await render()) as Map<string, string>;
  const onDisk = readdirSync(generatedDir);
  expect(onDisk.sort()).toEqual([...fresh.keys()].sort());
  for (const [name, ts] of fresh) {
    expect(ts.split("\n")[0]).toMatch(/^\/\/ Generated from schemas\/.*\.json by scripts\/gen-types\.mjs/);
    expect(readFileSync(join(generatedDir, name), "utf8")).toBe(ts);
  }
});
