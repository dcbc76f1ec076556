// `plugin package`: byte-identical archives for identical inputs, Helm's layout, and a round
// trip through the system tar and our own safe reader.
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "@jest/globals";
import { readArchive } from "../src/archive/extract.js";
import { archiveLimits } from "../src/archive/limits.js";
import { buildPluginArchive, packagePlugin } from "../src/package/package-plugin.js";
import { makePluginDir, tempDir } from "./helpers/dist-fixtures.js";

const work = tempDir("capstan-package-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("packaging is deterministic: mtimes, umask and order do not matter", async () => {
  const src = makePluginDir(work, {
    name: "det",
    version: "1.2.3",
    files: { "lib/a.txt": "a", "lib/z/b.txt": "b", "B.md": "x" },
  });
  const first = await packagePlugin(src, { outDir: join(work, "out1") });
  expect(first.fileName).toBe("det-1.2.3.tgz");
  expect(first.path).toBe(join(work, "out1", "det-1.2.3.tgz"));
  // Touch everything and change non-execute mode bits: same bytes.
  for (const f of ["plugin.yaml", "run.sh", "lib/a.txt"])
    utimesSync(join(src, f), new Date(2001, 1, 1), new Date(2002, 2, 2));
  chmodSync(join(src, "lib/a.txt"), 0o600);
  chmodSync(join(src, "run.sh"), 0o700);
  const second = await packagePlugin(src, { outDir: join(work, "out2") });
  expect(Buffer.compare(readFileSync(first.path), readFileSync(second.path))).toBe(0);
  expect(second.hash).toBe(first.hash);
  // SOURCE_DATE_EPOCH changes the recorded mtime, deterministically.
  const dated = await buildPluginArchive(src, { env: { SOURCE_DATE_EPOCH: "1700000000" } });
  expect(dated.hash).not.toBe(first.hash);
  expect((await buildPluginArchive(src, { env: { SOURCE_DATE_EPOCH: "1700000000" } })).hash).toBe(dated.hash);
  // Archives packaged into the plugin directory itself are left out of the next one.
  const inside = await packagePlugin(src, { outDir: src });
  writeFileSync(`${inside.path}.prov`, "x");
  expect((await buildPluginArchive(src)).hash).toBe(first.hash);
  // Content changes do change the bytes.
  writeFileSync(join(src, "lib/a.txt"), "changed");
  expect((await buildPluginArchive(src)).hash).not.toBe(first.hash);
});

test("the archive has Helm's layout: everything under <name>/, root-owned, 0644/0755, gzip mtime 0", async () => {
  const src = makePluginDir(work, { name: "layout", version: "0.1.0", files: { "deep/er/file.txt": "hi" } });
  const a = await packagePlugin(src, { outDir: join(work, "out3") });
  const listing = execFileSync("tar", ["--numeric-owner", "-tvzf", a.path], { encoding: "utf8" })
    .trim()
    .split("\n");
  expect(listing.map((l) => l.split(/\s+/).pop())).toEqual([
    "layout/",
    "layout/deep/",
    "layout/deep/er/",
    "layout/deep/er/file.txt",
    "layout/plugin.yaml",
    "layout/run.sh",
  ]);
  for (const line of listing) {
    const [perm, owner] = line.split(/\s+/);
    expect(owner).toBe("0/0");
    expect(["drwxr-xr-x", "-rw-r--r--", "-rwxr-xr-x"]).toContain(perm);
  }
  expect(listing.find((l) => l.endsWith("run.sh"))).toMatch(/^-rwxr-xr-x/);
  const bytes = readFileSync(a.path);
  expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
  // Our own reader accepts it and sees the same tree.
  const members = readArchive(bytes, a.path, archiveLimits({}));
  expect(members.find((m) => m.path === "layout/deep/er/file.txt")?.data.toString()).toBe("hi");
});

test("long paths survive the round trip (ustar prefix and pax)", async () => {
  const long = `${"d".repeat(90)}/${"e".repeat(90)}/${"f".repeat(90)}.txt`;
  const src = makePluginDir(work, { name: "longpaths", version: "1.0.0", files: { [long]: "deep" } });
  const a = await packagePlugin(src, { outDir: join(work, "out4") });
  const names = execFileSync("tar", ["-tzf", a.path], { encoding: "utf8" }).trim().split("\n");
  expect(names).toContain(`longpaths/${long}`);
  const members = readArchive(readFileSync(a.path), a.path, archiveLimits({}));
  expect(members.find((m) => m.path === `longpaths/${long}`)?.data.toString()).toBe("deep");
});

test("links, invalid manifests and oversized files are refused at packaging time", async () => {
  const src = makePluginDir(work, { name: "linky", version: "1.0.0" });
  symlinkSync("/etc/passwd", join(src, "passwd"));
  await expect(buildPluginArchive(src)).rejects.toMatchObject({ code: "PACKAGE_UNSUPPORTED_FILE" });
  const bad = makePluginDir(work, { name: "bad", version: "1.0.0" });
  writeFileSync(join(bad, "plugin.yaml"), "name: bad\nversion: ../1.0.0\ncommand: x\n");
  await expect(buildPluginArchive(bad)).rejects.toMatchObject({ exitCode: 3 });
  const big = makePluginDir(work, {
    name: "big",
    version: "1.0.0",
    files: { "blob.bin": Buffer.alloc(4096) },
  });
  await expect(buildPluginArchive(big, { env: { CAPSTAN_MAX_FILE_BYTES: "1024" } })).rejects.toMatchObject({
    code: "PACKAGE_TOO_LARGE",
    message: expect.stringMatching(
      /big\/blob\.bin: 4096 bytes exceed the per-file cap of 1024 \(CAPSTAN_MAX_FILE_BYTES\)/,
    ),
  });
  await expect(buildPluginArchive(big, { env: { CAPSTAN_MAX_ARCHIVE_ENTRIES: "2" } })).rejects.toMatchObject({
    code: "PACKAGE_TOO_LARGE",
    message: expect.stringMatching(/entries exceed the cap of 2 \(CAPSTAN_MAX_ARCHIVE_ENTRIES\)/),
  });
});

test(".helmignore leaves files out with gitignore syntax (dirs, globs, anchors, negation, case)", async () => {
  const src = makePluginDir(work, {
    name: "ign",
    version: "1.0.0",
    files: {
      ".helmignore": [
        "# comment line",
        "src/",
        "*.ts",
        "/notes.md",
        "logs/*.log",
        "!logs/keep.log",
        "node_modules/",
        "",
      ].join("\n"),
      "src/index.ts": "x",
      "lib/types.ts": "x",
      "lib/code.js": "js",
      "notes.md": "top-level notes",
      "docs/notes.md": "only the top-level one is anchored",
      "logs/a.log": "a",
      "logs/keep.log": "kept",
      "node_modules/dep/index.js": "dep",
      "NOTES.MD": "case matters, like Helm and git on Linux",
    },
  });
  // An ignored link is left out rather than refused.
  symlinkSync("/etc/passwd", join(src, "node_modules", "passwd"));
  const a = await buildPluginArchive(src);
  expect(a.ignoreFile).toBe(join(src, ".helmignore"));
  expect(a.files.map((f) => f.path)).toEqual([
    ".helmignore",
    "NOTES.MD",
    "docs/notes.md",
    "lib/code.js",
    "logs/keep.log",
    "plugin.yaml",
    "run.sh",
  ]);
  expect(a.files.find((f) => f.path === "logs/keep.log")?.size).toBe(4);
  const members = readArchive(a.bytes, a.fileName, archiveLimits({})).map((m) => m.path);
  expect(members).toContain("ign/lib/code.js");
  expect(members).not.toContain("ign/src/index.ts");
  expect(members.some((p) => p.startsWith("ign/node_modules"))).toBe(false);
  // Without a .helmignore every file is packed and the archive says so.
  const plain = makePluginDir(work, { name: "plain", version: "1.0.0", files: { "src/index.ts": "x" } });
  const p = await buildPluginArchive(plain);
  expect(p.ignoreFile).toBeUndefined();
  expect(p.files.map((f) => f.path)).toEqual(["plugin.yaml", "run.sh", "src/index.ts"]);
});

test("a .helmignore that leaves out plugin.yaml is refused (the archive could not be installed)", async () => {
  const src = makePluginDir(work, { name: "noyaml", version: "1.0.0", files: { ".helmignore": "*.yaml\n" } });
  await expect(buildPluginArchive(src)).rejects.toMatchObject({
    code: "PACKAGE_UNSUPPORTED_FILE",
    exitCode: 2,
    message: `${join(src, ".helmignore")} leaves out plugin.yaml`,
  });
});
