import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { expect, test } from "@jest/globals";
import { readStdin } from "./read-stdin.js";

test("reads a file descriptor to the end, multi-byte characters across read boundaries included", async () => {
  const dir = mkdtempSync(join(tmpdir(), "capstan-stdin-"));
  try {
    const text = `${"a".repeat(65535)}€${"ü".repeat(70000)}end`;
    writeFileSync(join(dir, "in"), text);
    const fd = openSync(join(dir, "in"), "r");
    try {
      const unused = () => {
        throw new Error("the stream must not be created when the fd can be read");
      };
      expect(await readStdin(fd, unused)).toBe(text);
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without a file descriptor, reads the stream", async () => {
  const stream = new PassThrough();
  stream.end("kind: ConfigMap\n");
  expect(await readStdin(undefined, () => stream)).toBe("kind: ConfigMap\n");
});
