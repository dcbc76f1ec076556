// The bin shim's V8 code cache (Node 20; Node >= 22.1 uses its own): one file per command
// word in the cache home, written after a successful run, reused while the bundle is the same,
// rewritten when it is damaged or stale, never written with CAPSTAN_CODE_CACHE=off.

import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat, capstan, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

const nodeModule: Record<string, unknown> = await import("node:module");
/** Node >= 22.1 caches compiled code itself; the shim's own cache is for older Node. */
const ownCache = typeof nodeModule.enableCompileCache !== "function";
/** Said in the test's name, so a skip shows why in jest's output and the summary line. */
const skipReason = ownCache
  ? ""
  : ` [skipped: Node ${process.version} has module.enableCompileCache, which the shim uses instead]`;
let home: Home;
let cacheFile: string;

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  writePlugin(home, "wcc", "apiVersion: v1\nname: wcc\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n", {
    "plugin.wasm": await assembleWat("cli"),
  });
  cacheFile = join(home.root, ".cache", "capstan", "code-cache-wcc.bin");
});
afterAll(() => home.remove());

const ok = { code: 0, stdout: 'wasm cli got: {"extraArgs":[]}\n', stderr: "" };

(ownCache ? test : test.skip)(
  `written on the first run, reused unchanged, rewritten when damaged${skipReason}`,
  async () => {
    expect(await capstan(home, ["-n", "ns1", "wcc"])).toEqual(ok);
    expect(existsSync(cacheFile)).toBe(true);
    const first = statSync(cacheFile).mtimeMs;
    const header = readFileSync(cacheFile).subarray(0, 200).toString("latin1").split("\n")[0];
    expect(header).toContain(process.version);

    expect(await capstan(home, ["wcc"])).toEqual(ok);
    expect(statSync(cacheFile).mtimeMs).toBe(first);

    // Same key, garbage data: V8 rejects it, the run still works and the file is rewritten.
    writeFileSync(cacheFile, Buffer.concat([Buffer.from(`${header}\n`, "latin1"), Buffer.alloc(4096, 7)]));
    expect(await capstan(home, ["wcc"])).toEqual(ok);
    expect(statSync(cacheFile).size).toBeGreaterThan(10_000);
    expect(await capstan(home, ["wcc"])).toEqual(ok);
  },
);

test("CAPSTAN_CODE_CACHE=off runs without a cache file", async () => {
  const other = join(home.root, ".cache", "capstan", "code-cache-plugin.bin");
  const r = await capstan(home, ["plugin", "list"], { env: { CAPSTAN_CODE_CACHE: "off" } });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("wcc");
  expect(existsSync(other)).toBe(false);
});
