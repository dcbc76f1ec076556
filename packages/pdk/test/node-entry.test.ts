// The Node-side entry the compiler uses to find the built prelude.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "@jest/globals";
import { preludePath, readPrelude } from "../src/node.js";

beforeAll(() => {
  const script = fileURLToPath(new URL("../scripts/build-prelude.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  expect(r.status).toBe(0);
});

test("preludePath points at dist/prelude.js and readPrelude returns it", () => {
  const p = preludePath();
  expect(p.endsWith("/packages/pdk/dist/prelude.js")).toBe(true);
  expect(readPrelude()).toBe(readFileSync(p, "utf8"));
});

test("the prelude is one ES2020 IIFE without Node APIs and stays small", () => {
  const src = readPrelude();
  expect(src).toMatch(/^("use strict";)?\(\(\)=>\{/);
  // no module loading and no Node built-ins (the `process` global it defines is its own)
  expect(src).not.toMatch(/\brequire\(|\bimport\(|"node:/);
  // 80 KB before the English Intl (a lazy chunk of ~15 KB, kept as text)
  expect(Buffer.byteLength(src)).toBeLessThan(92_000);
});
