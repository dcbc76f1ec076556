import { expect, test } from "@jest/globals";
import { buildMessageBlock, parseMessageBlock } from "./message-block.js";

const hex = "a".repeat(64);

test("builds Helm's layout: metadata, blank line, `...`, files", () => {
  expect(buildMessageBlock({ name: "p", version: "1.0.0" } as never, "p-1.0.0.tgz", hex)).toBe(
    `name: p\nversion: 1.0.0\n\n...\nfiles:\n  p-1.0.0.tgz: sha256:${hex}\n`,
  );
  expect(buildMessageBlock("name: p\nversion: 1.0.0", "p-1.0.0.tgz", hex)).toBe(
    `name: p\nversion: 1.0.0\n\n...\nfiles:\n  p-1.0.0.tgz: sha256:${hex}\n`,
  );
});

test("refuses metadata that is empty, lacks name/version or contains the separator", () => {
  expect(() => buildMessageBlock("", "p.tgz", hex)).toThrow(
    expect.objectContaining({ code: "METADATA_INVALID" }),
  );
  expect(() => buildMessageBlock("name: p\n...\nversion: 1\n", "p.tgz", hex)).toThrow(
    expect.objectContaining({ code: "METADATA_INVALID" }),
  );
  expect(() => buildMessageBlock("version: 1.0.0\n", "p.tgz", hex)).toThrow(
    expect.objectContaining({ code: "METADATA_INVALID" }),
  );
});

test("parses name/version as written (no YAML number typing) and the files map", () => {
  const b = parseMessageBlock(`name: p\nversion: 1.10\n\n...\nfiles:\n  p-1.10.tgz: sha256:${hex}`, "x.prov");
  expect(b.signedVersion).toBe("1.10");
  expect(b.files).toEqual({ "p-1.10.tgz": `sha256:${hex}` });
});

test("malformed signed text is PROV_MALFORMED naming the file", () => {
  for (const text of [
    "name: p\nversion: 1\n",
    "a: 1\n...\nb: 2\n...\nfiles: {}\n",
    "- a\n...\nfiles: {}\n",
    "name: p\n...\nnofiles: 1\n",
  ]) {
    expect(() => parseMessageBlock(text, "x.prov")).toThrow(
      expect.objectContaining({
        code: "PROV_MALFORMED",
        message: expect.stringMatching(/^x\.prov: signed text /),
      }),
    );
  }
});
