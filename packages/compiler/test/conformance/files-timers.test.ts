// Capstan.readDir and Capstan.stat see only allowedPaths (issue 12.5), and timers wait for real
// within the call's deadline (issue 12.4), through @capstan/host's ExtismRuntime.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { type Built, buildFixture, cleanup, hostCall, hostRuntime } from "./support.js";

let b: Built;
let data = "";

beforeAll(async () => {
  b = await buildFixture("files-timers");
  data = mkdtempSync(join(tmpdir(), "capstan-readdir-"));
  writeFileSync(join(data, "b.json"), "{}\n");
  writeFileSync(join(data, "a.txt"), "hello");
  mkdirSync(join(data, "sub"));
}, 60_000);

afterAll(() => {
  cleanup(b);
  rmSync(data, { recursive: true, force: true });
});

const mount = () => ({ allowedPaths: [{ hostPath: data, guestPath: "/data", writable: false }] });

test("readDir lists a mounted directory sorted by name; stat gives type and size", async () => {
  const rt = await hostRuntime(b, mount());
  const r = await hostCall(rt, "listDir", "/data");
  expect(r.ok && JSON.parse(r.text)).toEqual({
    self: "directory",
    entries: [
      { name: "a.txt", type: "file", size: 5, isDirectory: false, mtime: true },
      { name: "b.json", type: "file", size: 3, isDirectory: false, mtime: true },
      { name: "sub", type: "directory", size: null, isDirectory: true, mtime: true },
    ],
  });
});

test("paths outside allowedPaths and missing paths are errors naming the path", async () => {
  const rt = await hostRuntime(b, mount());
  const outside = await hostCall(rt, "listDir", "/etc");
  expect(outside.ok && JSON.parse(outside.text).error).toBe(
    "readDir /etc: not inside any directory the sandbox mounts (runtimeConfig.allowedPaths)",
  );
  const missing = await hostCall(rt, "listDir", "/data/nope");
  expect(missing.ok && JSON.parse(missing.text).error).toBe("readDir /data/nope: no such file or directory");
  const upward = await hostCall(rt, "listDir", "/data/..");
  expect(upward.ok && JSON.parse(upward.text).error).toMatch(/^readDir \/data\/\.\.: /);
});

test("setTimeout waits for real (a lower bound, not a speed target)", async () => {
  const rt = await hostRuntime(b, { timeoutMs: 10_000 });
  const r = await hostCall(rt, "wait", "250");
  expect(r.ok && Number(r.text)).toBeGreaterThanOrEqual(249);
});

test("the call deadline still stops a plugin sleeping in a timer", async () => {
  const rt = await hostRuntime(b, { timeoutMs: 300 });
  const r = await hostCall(rt, "wait", "60000");
  expect(r).toMatchObject({ ok: false, error: expect.stringContaining("did not finish within 300 ms") });
});
