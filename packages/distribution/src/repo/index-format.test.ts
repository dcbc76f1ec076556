import { expect, test } from "@jest/globals";
import { stringify } from "yaml";
import { indexLimits, parseIndex } from "./index-format.js";

const entry = (over: Record<string, unknown> = {}) => ({
  name: "p",
  version: "1.0.0",
  type: "cli/v1",
  apiVersion: "v1",
  runtime: "extism/v1",
  digest: `sha256:${"a".repeat(64)}`,
  urls: ["p-1.0.0.tgz"],
  provenance: true,
  created: "2026-01-01T00:00:00.000Z",
  ...over,
});
const doc = (entries: unknown, extra: Record<string, unknown> = {}) =>
  stringify({ apiVersion: "v1", generated: "2026-01-02T00:00:00.000Z", ...extra, entries });
const parseIt = (text: string) => parseIndex(text, "r", "https://repo.example/plugins");

test("a good index: entries sorted newest first, relative and declared external URLs accepted", () => {
  const index = parseIt(
    doc(
      {
        p: [
          entry(),
          entry({ version: "1.2.0", urls: ["oci://ghcr.io/x/p:1.2.0"] }),
          entry({ version: "1.1.0", urls: ["https://repo.example/other/p-1.1.0.tgz"] }),
        ],
      },
      { externalOrigins: ["oci://ghcr.io"] },
    ),
  );
  expect(index.entries.p!.map((e) => e.version)).toEqual(["1.2.0", "1.1.0", "1.0.0"]);
  expect(index.externalOrigins).toEqual(["oci://ghcr.io"]);
});

test.each([
  ["YAML aliases (entity expansion)", "a: &x [1]\nb: *x\napiVersion: v1\nentries: {}\n", /not YAML/],
  ["another apiVersion", doc({}, { apiVersion: "v2" }), /apiVersion "v2" is not v1/],
  ["a duplicate key", "apiVersion: v1\napiVersion: v1\nentries: {}\n", /not YAML/],
  [
    "a digest of another algorithm",
    doc({ p: [entry({ digest: "md5:abc" })] }),
    /entry p "1.0.0": digest "md5:abc"/,
  ],
  [
    "a version that is not SemVer",
    doc({ p: [entry({ version: "v1" })] }),
    /entry p "v1": version is not SemVer/,
  ],
  ["a name that differs from its key", doc({ p: [entry({ name: "q" })] }), /name "q" differs from its key p/],
  ["no urls", doc({ p: [entry({ urls: [] })] }), /urls is not a non-empty list/],
  ["a file: URL", doc({ p: [entry({ urls: ["file:///etc/passwd"] })] }), /is not an http\(s\) URL or oci/],
  [
    "an undeclared registry",
    doc({ p: [entry({ urls: ["oci://evil.example/p:1.0.0"] })] }),
    /points outside the repository/,
  ],
])("refuses %s, naming repository and entry", (_what, text, message) => {
  expect(() => parseIt(text)).toThrow(message);
  expect(() => parseIt(text)).toThrow(/^repository r: index.yaml/);
});

test("the entry cap counts versions across plugins", () => {
  const limits = { ...indexLimits({}), maxEntries: 2 };
  const text = doc({ p: [entry(), entry({ version: "2.0.0" })], q: [entry({ name: "q" })] });
  expect(() => parseIndex(text, "r", "https://repo.example/plugins", limits)).toThrow(
    /more than 2 plugin versions/,
  );
});
