// Archive safety: every refused entry kind, the caps, and a clean round trip.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "@jest/globals";
import { extractArchive, readArchive } from "../src/archive/extract.js";
import { archiveLimits } from "../src/archive/limits.js";
import { rawTgz } from "./helpers/raw-tar.js";

const work = mkdtempSync(join(tmpdir(), "capstan-archive-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const limits = archiveLimits({});
const ok = { name: "p/plugin.yaml", data: "name: p\n" };

function refused(members: Parameters<typeof rawTgz>[0], reason: RegExp, l = limits): void {
  const dest = mkdtempSync(join(work, "dest-"));
  let error: unknown;
  try {
    extractArchive(rawTgz(members), dest, "evil.tgz", l);
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code: "ARCHIVE_UNSAFE", exitCode: 5 });
  expect(String((error as Error).message)).toMatch(reason);
  // Nothing is written when an archive is refused.
  expect(readdirSync(dest)).toEqual([]);
}

describe("refused archive entries", () => {
  test("path traversal", () => refused([ok, { name: "p/../../evil", data: "x" }], /'\.\.' path segment/));
  test("traversal hidden in a pax path", () =>
    refused([ok, { name: "p/benign", data: "x", pax: { path: "../evil" } }], /"\.\.\/evil".*'\.\.'/));
  test("absolute path", () => refused([ok, { name: "/tmp/evil", data: "x" }], /absolute path/));
  test("backslash", () => refused([ok, { name: "p\\..\\evil", data: "x" }], /backslash/));
  test("colon", () => refused([ok, { name: "C:/evil", data: "x" }], /':' in name/));
  test("symlink", () =>
    refused([ok, { name: "p/link", type: "2", linkname: "/etc/passwd" }], /symlink entries/));
  test("hardlink", () =>
    refused([ok, { name: "p/hard", type: "1", linkname: "p/plugin.yaml" }], /hardlink entries/));
  test("character device", () => refused([ok, { name: "p/tty", type: "3" }], /character device entries/));
  test("block device", () => refused([ok, { name: "p/sda", type: "4" }], /block device entries/));
  test("fifo", () => refused([ok, { name: "p/fifo", type: "6" }], /fifo entries/));
  test("duplicate entry", () =>
    refused([ok, { name: "p/plugin.yaml", data: "name: q\n" }], /duplicate entry/));
  test("duplicate differing only in case", () =>
    refused([ok, { name: "p/PLUGIN.yaml", data: "x" }], /duplicate/));
  test("duplicate through ./ spelling", () =>
    refused([ok, { name: "./p/plugin.yaml", data: "x" }], /duplicate/));
  test("file under a file", () =>
    refused([ok, { name: "p/plugin.yaml/x", data: "x" }], /parent .* is a file/));
  test("oversized file", () =>
    refused([ok, { name: "p/big", data: Buffer.alloc(2000) }], /per-file cap of 1000/, {
      ...limits,
      maxFileBytes: 1000,
    }));
  test("total size", () =>
    refused(
      [ok, { name: "p/a", data: Buffer.alloc(600) }, { name: "p/b", data: Buffer.alloc(600) }],
      /total size exceeds 1000/,
      { ...limits, maxTotalBytes: 1000 },
    ));
  test("too many entries", () =>
    refused(
      Array.from({ length: 20 }, (_, i) => ({ name: `p/f${i}`, data: "x" })),
      /more than 10 entries/,
      { ...limits, maxEntries: 10 },
    ));
  test("decompression bomb", () =>
    refused([ok, { name: "p/zeros", data: Buffer.alloc(5_000_000) }], /decompresses to more than/, {
      maxEntries: 10,
      maxFileBytes: 100_000_000,
      maxTotalBytes: 1_000_000,
    }));
  test("a header claiming a huge size", () =>
    refused([ok, { name: "p/liar", size: 50_000_000, data: "x" }], /per-file cap|total size/, {
      ...limits,
      maxFileBytes: 1_000_000,
    }));
});

test("a damaged archive is refused as corrupt", () => {
  expect(() =>
    readArchive(Buffer.from("not a tarball at all, just text".repeat(40)), "x.tgz", limits),
  ).toThrow(expect.objectContaining({ code: "ARCHIVE_CORRUPT" }));
});

test("a good archive extracts with normalized modes", () => {
  const dest = mkdtempSync(join(work, "good-"));
  const members = extractArchive(
    rawTgz([
      { name: "p/", type: "5", mode: 0o700 },
      ok,
      { name: "p/bin/run.sh", data: "#!/bin/sh\n", mode: 0o4777 },
      { name: "p/deep/dir/file", data: "deep" },
    ]),
    dest,
    "good.tgz",
    limits,
  );
  expect(members.map((m) => m.path)).toEqual(["p", "p/plugin.yaml", "p/bin/run.sh", "p/deep/dir/file"]);
  expect(readFileSync(join(dest, "p/deep/dir/file"), "utf8")).toBe("deep");
  // setuid and world-writable bits are dropped: 0755 or 0644 only.
  expect(statSync(join(dest, "p/bin/run.sh")).mode & 0o7777).toBe(0o755 & ~process.umask());
  expect(statSync(join(dest, "p/plugin.yaml")).mode & 0o7777).toBe(0o644 & ~process.umask());
});
