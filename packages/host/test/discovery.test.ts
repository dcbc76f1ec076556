import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { discoverPlugins, findPlugin } from "../src/discovery.js";
import { installRecordFor, RECORD_FILE } from "../src/installed/install-record.js";
import { tempDir } from "./subprocess-helpers.js";

const root = tempDir("capstan-discovery-");
const home1 = join(root, "home1");
const home2 = join(root, "home2");
afterAll(() => rmSync(root, { recursive: true, force: true }));

function plugin(home: string, dir: string, yaml: string): string {
  const d = join(home, dir);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, "plugin.yaml"), yaml);
  return d;
}

beforeAll(() => {
  plugin(home1, "alpha", 'name: alpha\nversion: 1.0.0\ncommand: "echo alpha"\n');
  plugin(home1, "broken", "name: broken\nversion: [not a version\n");
  plugin(
    home1,
    "zeta",
    "apiVersion: v1\nname: zeta\nversion: 0.1.0\ntype: cli/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: echo\n",
  );
  plugin(home2, "alpha-copy", 'name: alpha\nversion: 2.0.0\ncommand: "echo other"\n');
  plugin(
    home2,
    "beta",
    "name: beta\nversion: 1.2.3\ndownloaders:\n  - protocols: [s3]\n    command: bin/get\n",
  );
  mkdirSync(join(home1, "not-a-plugin")); // no plugin.yaml: ignored, as Helm does
  plugin(home1, ".hidden", "name: hidden\nversion: 1.0.0\n");
  // A symlinked plugin directory (how local installs are linked) is found.
  const elsewhere = plugin(root, "linked-src", 'name: linked\nversion: 1.0.0\ncommand: "echo"\n');
  symlinkSync(elsewhere, join(home2, "linked"));
});

test("discovery loads every plugin in path order; a broken one is reported and hides nothing", async () => {
  const { plugins, problems } = await discoverPlugins([home1, home2, join(root, "missing")]);
  expect(plugins.map((p) => `${p.manifest.name}@${p.manifest.version}`)).toEqual([
    "alpha@1.0.0",
    "zeta@0.1.0",
    "beta@1.2.3",
    "linked@1.0.0",
  ]);
  const broken = problems.filter((p) => p.kind === "broken");
  expect(broken).toHaveLength(1);
  expect(broken[0]!.dir).toBe(join(home1, "broken"));
  expect(broken[0]!.message).toMatch(/plugin\.yaml/);
});

test("duplicate names: the first on the path wins and the other is reported, naming both", async () => {
  const { problems } = await discoverPlugins([home1, home2]);
  const dup = problems.filter((p) => p.kind === "duplicate");
  expect(dup).toEqual([
    expect.objectContaining({
      name: "alpha",
      dir: join(home2, "alpha-copy"),
      shadowedBy: join(home1, "alpha"),
    }),
  ]);
  expect(dup[0]!.message).toContain("comes first on the plugin path");
});

test("findPlugin finds by name, reports missing plugins (exit 4) and broken ones with their error", async () => {
  expect((await findPlugin([home1, home2], "beta")).manifest.type).toBe("getter/v1");
  await expect(findPlugin([home1, home2], "nope")).rejects.toMatchObject({
    code: "plugin-not-found",
    exitCode: 4,
  });
  await expect(findPlugin([home1, home2], "broken")).rejects.toMatchObject({ exitCode: 3 });
  await expect(findPlugin([home1, home2], "beta", { type: "cli/v1" })).rejects.toMatchObject({
    code: "wrong-plugin-type",
  });
});

test("install records are read beside discovery: absent, present, unreadable, linked", async () => {
  const d = join(home1, "alpha");
  expect(installRecordFor(d)).toBeUndefined();
  const record = {
    source: "https://x/a.tgz",
    kind: "http",
    version: "1.0.0",
    provenance: null,
    installedAt: "now",
  };
  writeFileSync(join(d, RECORD_FILE), JSON.stringify(record));
  expect(installRecordFor(d)).toEqual(record);
  writeFileSync(join(d, RECORD_FILE), "{nope");
  expect(() => installRecordFor(d)).toThrow();
  rmSync(join(d, RECORD_FILE));
  const link = join(root, "linked-alpha");
  symlinkSync(d, link);
  expect(installRecordFor(link)).toMatchObject({ kind: "dir", source: realpathSync(d) });
});

test("the manifest cache is used while plugin.yaml is unchanged and dropped when it changes", async () => {
  const home = join(root, "cached");
  const d = plugin(home, "c", 'name: c\nversion: 1.0.0\ncommand: "echo"\n');
  const cache = { file: join(root, "cache", "plugin-index.json"), key: "build-1" };
  expect((await discoverPlugins([home], { cache })).plugins[0]!.manifest.version).toBe("1.0.0");
  // Doctor the cached entry: a hit returns it without parsing plugin.yaml again.
  const data = JSON.parse(readFileSync(cache.file, "utf8"));
  data.entries[d].plugin.manifest.usage = "from the cache";
  writeFileSync(cache.file, JSON.stringify(data));
  expect((await discoverPlugins([home], { cache })).plugins[0]!.manifest.usage).toBe("from the cache");
  // Another build's cache is ignored.
  expect(
    (await discoverPlugins([home], { cache: { ...cache, key: "build-2" } })).plugins[0]!.manifest.usage,
  ).not.toBe("from the cache");
  // Editing plugin.yaml invalidates the entry.
  writeFileSync(join(d, "plugin.yaml"), 'name: c\nversion: 2.0.0\ncommand: "echo"\n');
  expect((await discoverPlugins([home], { cache })).plugins[0]!.manifest.version).toBe("2.0.0");
  // A broken cache file is an empty cache.
  writeFileSync(cache.file, "{not json");
  expect((await discoverPlugins([home], { cache })).plugins).toHaveLength(1);
});

test("a stray file, FIFO, device link or dangling link in the plugin home is skipped with a problem, not a crash", async () => {
  const home = join(root, "home-stray");
  plugin(home, "gamma", 'name: gamma\nversion: 1.0.0\ncommand: "echo"\n');
  writeFileSync(join(home, "notes.txt"), "my notes");
  execFileSync("mkfifo", [join(home, "pipe")]);
  symlinkSync("/dev/null", join(home, "device"));
  symlinkSync(join(root, "nowhere"), join(home, "dangling"));
  symlinkSync(join(home, "loop"), join(home, "loop"));
  const { plugins, problems } = await discoverPlugins([home]);
  expect(plugins.map((p) => p.manifest.name)).toEqual(["gamma"]);
  expect(problems.map((p) => [p.kind, p.message])).toEqual([
    ["stray", `skipped ${join(home, "dangling")}: it is a dangling symlink, not a plugin directory`],
    ["stray", `skipped ${join(home, "device")}: it is a device, not a plugin directory`],
    ["stray", `skipped ${join(home, "loop")}: it cannot be read (ELOOP), not a plugin directory`],
    ["stray", `skipped ${join(home, "notes.txt")}: it is a file, not a plugin directory`],
    ["stray", `skipped ${join(home, "pipe")}: it is a FIFO, not a plugin directory`],
  ]);
  await expect(findPlugin([home], "gamma")).resolves.toMatchObject({ manifest: { name: "gamma" } });
});

test("a directory declaring the name of an installed (recorded) plugin never replaces it, whatever the order", async () => {
  const home = join(root, "home-shadow");
  const good = plugin(home, "good", 'name: good\nversion: 1.0.0\ncommand: "echo good"\n');
  writeFileSync(
    join(good, ".capstan-install.json"),
    JSON.stringify({ source: "https://x/good.tgz", provenance: "verified" }),
  );
  const impostor = plugin(home, "aaa-shadow", 'name: good\nversion: 6.6.6\ncommand: "echo evil"\n');
  const { plugins, problems } = await discoverPlugins([home]);
  expect(plugins.map((p) => [p.dir, p.manifest.version])).toEqual([[good, "1.0.0"]]);
  expect(problems).toEqual([
    expect.objectContaining({
      kind: "duplicate",
      dir: impostor,
      shadowedBy: good,
      message: `plugin "good" in ${impostor} is ignored: ${good} is the installed plugin of that name`,
    }),
  ]);
  expect((await findPlugin([home], "good")).dir).toBe(good);
  // Also across the plugin path: an unrecorded directory earlier on the path does not win.
  const early = join(root, "home-early");
  plugin(early, "good", 'name: good\nversion: 7.0.0\ncommand: "echo early"\n');
  expect((await findPlugin([early, home], "good")).dir).toBe(good);
});
