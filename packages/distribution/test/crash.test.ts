// Atomicity and serialization with real processes: an update killed with SIGKILL in the middle
// of extraction leaves the previous plugin intact and the next install works; concurrent
// installs into one home run one at a time.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { resolveSettings } from "@capstan/host";
import { loadManifest } from "@capstan/manifest";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { build } from "esbuild";
import { writeTar } from "../src/archive/tar-writer.js";
import { LOCK_FILE } from "../src/install/install-lock.js";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { recoverHome } from "../src/install/plugin-store.js";
import { makePluginDir, signedArchive, tempDir } from "./helpers/dist-fixtures.js";

const work = tempDir("capstan-crash-");
// The manifest package reads its JSON Schemas from ../schemas next to the module: the bundle
// lives in work/bin with work/schemas linked to the real directory.
const child = join(work, "bin", "child.mjs");
const packages = resolve(import.meta.dirname ?? __dirname, "../..");

beforeAll(async () => {
  symlinkSync(join(packages, "manifest", "schemas"), join(work, "schemas"));
  await build({
    entryPoints: [join(packages, "distribution/test/helpers/install-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: child,
    logLevel: "error",
    alias: Object.fromEntries(
      ["manifest", "signing", "host"].map((p) => [`@capstan/${p}`, join(packages, p, "src/index.ts")]),
    ),
    banner: {
      js: "import { createRequire as capstanRequire } from 'node:module'; const require = capstanRequire(import.meta.url);",
    },
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const p = spawn(process.execPath, [child, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let out = "";
  let err = "";
  p.stdout.on("data", (c: Buffer) => {
    out += c;
  });
  p.stderr.on("data", (c: Buffer) => {
    err += c;
  });
  const done = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((r) =>
    p.on("close", (code, signal) => r({ code, signal, out, err })),
  );
  return { p, done };
}

/** A plugin archive with 240 data files (the child is stopped in the middle of writing them). */
function bigArchive(version: string): Buffer {
  const entries = [
    { path: "big", type: "dir" as const, mode: 0o755 },
    {
      path: "big/plugin.yaml",
      type: "file" as const,
      mode: 0o644,
      data: Buffer.from(`name: big\nversion: ${version}\nusage: x\ncommand: echo\n`),
    },
  ];
  const blob = randomBytes(4 * 1024);
  for (let i = 0; i < 240; i++) {
    // Different bytes per file (no dedupe anywhere), cheap to make.
    const data = Buffer.from(blob);
    data.writeUInt32LE(i, 0);
    entries.push({ path: `big/data/f${String(i).padStart(3, "0")}.bin`, type: "file", mode: 0o644, data });
  }
  return gzipSync(writeTar(entries), { level: 1 });
}

test("SIGKILL in the middle of an update leaves the old plugin, and the next update works", async () => {
  const home = join(work, "home-kill");
  mkdirSync(home);
  const env = { CAPSTAN_PLUGINS: home, HOME: work };
  const opts = { settings: resolveSettings(env), env, verify: false, hookOutput: "pipe" as const };
  const src = join(work, "big.tgz");
  writeFileSync(
    src,
    gzipSync(
      writeTar([
        {
          path: "big/plugin.yaml",
          type: "file",
          mode: 0o644,
          data: Buffer.from("name: big\nversion: 1.0.0\nusage: x\ncommand: echo\n"),
        },
      ]),
    ),
  );
  await installPlugin(src, opts);
  const before = readFileSync(join(home, "big", ".capstan-install.json"), "utf8");
  writeFileSync(src, bigArchive("2.0.0"));

  // The child stops for good after its 10th data file (helpers/install-child.ts) and says so.
  const marker = join(work, "paused");
  const { p, done } = run(["update", home, "big"], {
    CAPSTAN_TEST_PAUSE_AFTER: "10",
    CAPSTAN_TEST_PAUSE_MARKER: marker,
  });
  while (!existsSync(marker) && p.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  expect(existsSync(marker)).toBe(true);
  const staging = readdirSync(home).find((e) => e.startsWith(".capstan-staging-"));
  expect(readdirSync(join(home, staging ?? "(no staging dir)", "tree", "big", "data"))).toHaveLength(10);
  p.kill("SIGKILL");
  const result = await done;
  expect(result.signal).toBe("SIGKILL");
  // The old plugin is intact; the lock of the dead process and its staging dir are left over.
  expect((await loadManifest(join(home, "big"))).manifest.version).toBe("1.0.0");
  expect(readFileSync(join(home, "big", ".capstan-install.json"), "utf8")).toBe(before);
  expect(readdirSync(home).sort()).toEqual(
    [LOCK_FILE, "big", expect.stringMatching(/^\.capstan-staging-/)].sort(),
  );

  // The next update breaks the stale lock, cleans up and installs.
  const r = await updatePlugin("big", opts);
  expect(r).toMatchObject({ version: "2.0.0", previousVersion: "1.0.0" });
  expect(readdirSync(join(home, "big", "data"))).toHaveLength(240);
  expect(readdirSync(home)).toEqual(["big"]);
});

test("concurrent installs into one home are serialized by the lock", async () => {
  const home = join(work, "home-concurrent");
  mkdirSync(home);
  const log = join(work, "hooks.log");
  const names = ["alpha", "beta", "gamma"];
  const archives = await Promise.all(
    names.map((name) =>
      signedArchive(
        makePluginDir(work, {
          name,
          version: "1.0.0",
          // The install hook runs under the lock: start/end lines of two installs must never interleave.
          hooks: { install: `echo start ${name} >> ${log}; sleep 0.3; echo end ${name} >> ${log}` },
        }),
        join(work, `c-${name}`),
        null,
      ),
    ),
  );
  const runs = archives.map((a) => run(["install", home, a.path]));
  const results = await Promise.all(runs.map((r) => r.done));
  for (const r of results) expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
  const lines = readFileSync(log, "utf8").trim().split("\n");
  expect(lines).toHaveLength(6);
  for (let i = 0; i < 6; i += 2) {
    expect(lines[i]).toMatch(/^start /);
    expect(lines[i + 1]).toBe(lines[i]!.replace("start", "end"));
  }
  expect(readdirSync(home).sort()).toEqual(names);
});

test("recovery puts back a plugin moved aside by a swap that was cut short", () => {
  const home = join(work, "home-recover");
  mkdirSync(join(home, ".capstan-old.kept"), { recursive: true });
  writeFileSync(join(home, ".capstan-old.kept", "plugin.yaml"), "name: kept\n");
  mkdirSync(join(home, ".capstan-old.both"), { recursive: true });
  mkdirSync(join(home, "both"));
  mkdirSync(join(home, ".capstan-trash-x1"));
  expect(recoverHome(home)).toEqual(["restored kept after an interrupted install"]);
  expect(readdirSync(home).sort()).toEqual(["both", "kept"]);
});
