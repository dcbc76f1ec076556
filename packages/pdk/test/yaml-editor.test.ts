// The edit path of @capstan/pdk/yaml (editor.ts, document.ts) on its Node build: patches land
// where a person would put them, and what is not edited stays byte for byte. The same code runs
// over the native parser in plugins (packages/compiler/test/pdk-yaml.test.ts compares both).
import { describe, expect, test } from "@jest/globals";
import { parse as npmParse } from "yaml";
import { edit, parseAllDocuments, stringify, YamlError } from "../src/yaml/node.js";

function merged(
  text: string,
  patch: Record<string, unknown>,
  path: (string | number)[] = [],
  before?: string,
): string {
  const editor = edit(text);
  for (const doc of parseAllDocuments(text, { positions: true }))
    if (doc.node(path)?.kind === "map") editor.merge(doc, path, patch, before ? { before } : {});
  return editor.toString();
}

describe("YamlEditor.merge", () => {
  test("adds keys at the end of a block map, indented like it, before trailing comments of the parent", () => {
    const text = "metadata:\n  name: x  # keep\n  # about spec\nspec:\n  a: 1\n";
    expect(merged(text, { metadata: { labels: { team: "p" } } })).toBe(
      "metadata:\n  name: x  # keep\n  labels:\n    team: p\n  # about spec\nspec:\n  a: 1\n",
    );
  });

  test("a missing map goes before `before` when the map has it", () => {
    expect(merged("kind: A\nspec:\n  a: 1\n", { metadata: { labels: { t: "1.0" } } }, [], "spec")).toBe(
      'kind: A\nmetadata:\n  labels:\n    t: "1.0"\nspec:\n  a: 1\n',
    );
  });

  test("an empty or null value becomes the map; a flow map gets flow entries", () => {
    expect(merged("m:\n  labels:\nz: 1\n", { m: { labels: { a: "b" } } })).toBe(
      "m:\n  labels:\n    a: b\nz: 1\n",
    );
    expect(merged("m:\n  labels: ~ # none\n", { m: { labels: { a: "b" } } })).toBe(
      "m:\n  labels:  # none\n    a: b\n",
    );
    expect(merged("m: {labels: {}}\n", { m: { labels: { a: "b" } } })).toBe("m: {labels: {a: b}}\n");
    expect(merged("m: {x: 1}\n", { m: { labels: { a: "true" } } })).toBe('m: {x: 1, labels: {"a":"true"}}\n');
    expect(merged("{m: null}\n", { m: { a: "b" } })).toBe('{m: {"a":"b"}}\n');
  });

  test("scalars that differ are replaced keeping their quotes; equal ones are left alone", () => {
    const text = "a: 'x'\nb: \"y\"\nc: z\nd: same\ne:\n";
    expect(merged(text, { a: "x2", b: "y2", c: "1", d: "same", e: "v" })).toBe(
      'a: \'x2\'\nb: "y2"\nc: "1"\nd: same\ne: v\n',
    );
  });

  test("after a block scalar, inside sequences, without a final newline, in later documents", () => {
    expect(merged("m:\n  s: |\n    text\n  t: 1\n", { m: { n: "v" } })).toBe(
      "m:\n  s: |\n    text\n  t: 1\n  n: v\n",
    );
    expect(merged("m:\n  s: |\n    text\n", { m: { n: "v" } })).toBe("m:\n  s: |\n    text\n  n: v\n");
    expect(merged("l:\n- name: a\n  image: b\n- x\n", { tag: "t" }, ["l", 0])).toBe(
      "l:\n- name: a\n  image: b\n  tag: t\n- x\n",
    );
    expect(merged("a: 1", { b: "2" })).toBe('a: 1\nb: "2"');
    expect(merged("a: 1\n---\n# c\nb: 2\n", { x: "y" })).toBe("a: 1\nx: y\n---\n# c\nb: 2\nx: y\n");
  });

  test("a no-op edit returns the text itself; the result parses to the merged value", () => {
    const text = "# head\nkind: A  # k\nmetadata: {name: n}\n";
    expect(merged(text, { kind: "A" })).toBe(text);
    const out = merged(text, { metadata: { labels: { a: "b" } }, extra: { deep: { list: [1, "x"] } } });
    expect(npmParse(out)).toEqual({
      kind: "A",
      metadata: { name: "n", labels: { a: "b" } },
      extra: { deep: { list: [1, "x"] } },
    });
  });
});

describe("parse and stringify (Node build)", () => {
  test("errors carry line and column", () => {
    expect(() => parseAllDocuments("a: 1\nb: [1,\n")).toThrow(YamlError);
    try {
      parseAllDocuments("a: 1\na: 2\n");
    } catch (e) {
      expect((e as YamlError).line).toBe(2);
    }
  });
  test("stringify writes the Go-YAML layout", () => {
    expect(stringify({ a: ["x", "true"], b: {} })).toBe('a:\n- x\n- "true"\nb: {}\n');
  });
});
