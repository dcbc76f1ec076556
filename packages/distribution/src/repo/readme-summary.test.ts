import { expect, test } from "@jest/globals";
import type { ArchiveMember } from "../archive/extract.js";
import { readmeSummary } from "./readme-summary.js";

const file = (path: string, text: string): ArchiveMember => ({
  path,
  type: "file",
  mode: 0o644,
  data: Buffer.from(text),
});

test("the first sentence of the README's first paragraph, after headings and badges", () => {
  const readme =
    "# s3 (getter/v1)\n\n![badge](x.svg)\n\nDownloads `s3://b/web-1.0.0.tgz` with signed\nGETs. More text.\n\nNext.";
  expect(readmeSummary([file("s3/README.md", readme)], "s3")).toBe(
    "Downloads `s3://b/web-1.0.0.tgz` with signed GETs.",
  );
});

test("long sentences are capped; no README gives undefined", () => {
  expect(readmeSummary([file("README.md", `${"word ".repeat(100)}end.`)], "")).toMatch(
    /^word .{150,160}\.\.\.$/,
  );
  expect(readmeSummary([file("plugin.yaml", "name: x")], "")).toBeUndefined();
});
