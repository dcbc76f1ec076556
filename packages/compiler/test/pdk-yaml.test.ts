// @capstan/pdk/yaml inside a compiled plugin (the engine's libyaml, capstan-yaml.c), checked
// against the `yaml` npm package and against the module's Node build (which runs on `yaml`)
// on seeded generated manifests: values, node positions, edits, emitted text; plus malformed
// input, alias bombs, deep nesting and the memory cap.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as nodeYaml from "@capstan/pdk/yaml";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { parse as npmParse, parseAllDocuments as npmParseAll, stringify as npmStringify } from "yaml";
import { compile } from "../src/compile.js";
import { callText, instantiate } from "./helpers.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures/pdk-yaml");
let wasm: Uint8Array;
let plugin: Awaited<ReturnType<typeof instantiate>>;

beforeAll(async () => {
  wasm = (
    await compile({
      entry: join(fixture, "index.ts"),
      interfaceFile: join(fixture, "plugin.d.ts"),
      skipOpt: true,
    })
  ).wasm;
  plugin = await instantiate(wasm, { config: { "capstan.memory_mb": "64" } });
}, 120_000);
afterAll(() => plugin?.close());

type Answer = { ok?: unknown; error?: string; name?: string; line?: number; column?: number; yaml?: boolean };
async function call(name: string, req: unknown): Promise<Answer> {
  const r = await callText(plugin, name, JSON.stringify(req));
  if (!r.ok) return { error: r.error };
  return JSON.parse(r.text);
}

// --- seeded generator of Helm-like manifests ---
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const STRINGS = [
  "web",
  "nginx:1.25",
  "true",
  "1.0",
  "007",
  "null",
  "",
  "a: b",
  "# not a comment",
  "x'y\"z",
  "héllo",
  "emoji 🚀",
  "multi\nline\n",
  "  padded ",
  "yes",
  "0x1F",
  "-",
  "[x]",
  "{y}",
  "*z",
  "&w",
  "@at",
  "2024-01-02",
  "1e3",
];
function value(r: () => number, depth: number): unknown {
  const x = r();
  if (depth > 3 || x < 0.45) {
    const y = r();
    if (y < 0.55) return STRINGS[Math.floor(r() * STRINGS.length)];
    if (y < 0.75) return Math.floor(r() * 100000) - 500;
    if (y < 0.85) return Math.round(r() * 1e6) / 1000;
    if (y < 0.93) return r() < 0.5;
    return null;
  }
  if (x < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 5); i > 0; i--)
    o[`k${Math.floor(r() * 50)}-${STRINGS[Math.floor(r() * 6)]?.replace(/[^a-z]/g, "")}`] = value(
      r,
      depth + 1,
    );
  return o;
}
function manifest(r: () => number, i: number): string {
  const obj = {
    apiVersion: "apps/v1",
    kind: r() < 0.7 ? "Deployment" : "ConfigMap",
    metadata: r() < 0.8 ? { name: `d${i}`, ...(r() < 0.5 ? { labels: { app: `d${i}` } } : {}) } : null,
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: "app", image: "nginx:1.25" }] } },
      extra: value(r, 1),
    },
    data: value(r, 1),
  };
  // layout variety: yaml's defaults, Go layout, flow collections, and a comment or two
  const style = r();
  let text = npmStringify(
    obj,
    style < 0.3
      ? { indentSeq: false, lineWidth: 0 }
      : style < 0.5
        ? { collectionStyle: "flow", lineWidth: 0 }
        : {},
  );
  if (r() < 0.5)
    text = `# Source: chart/templates/t${i}.yaml\n${text.replace("\n", "  # trailing comment\n")}`;
  return text;
}
const stream = (seed: number, n: number) => {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => manifest(r, i)).join("---\n");
};

/** Every path to a leaf of a plain value. */
function leafPaths(v: unknown, base: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== "object") return [base];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return entries.length ? entries.flatMap(([k, x]) => leafPaths(x, [...base, k])) : [base];
}

describe("@capstan/pdk/yaml in the engine", () => {
  test("values match the yaml package on generated manifests (20 seeds)", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const text = stream(seed, 8);
      const got = await call("parse", { text });
      expect(got.error).toBeUndefined();
      const want = npmParseAll(text).map((d) => d.toJS());
      expect((got.ok as Array<{ value: unknown }>).map((d) => d.value)).toEqual(want);
    }
  }, 60_000);

  test("node positions match the Node build (yaml's ranges) on generated manifests", async () => {
    for (let seed = 100; seed < 110; seed++) {
      const text = stream(seed, 4);
      const node = nodeYaml.parseAllDocuments(text, { positions: true });
      const paths = node.flatMap((d) => leafPaths(d.value)).slice(0, 400);
      const got = (await call("parse", { text, options: { positions: true }, paths })).ok as Array<{
        nodes: Array<{ kind: string; start: number; end: number } | null>;
      }>;
      expect(got).toHaveLength(node.length);
      got.forEach((d, i) => {
        const doc = node[i] as nodeYaml.YamlDocument;
        d.nodes.forEach((n, j) => {
          const want = doc.node(paths[j] as (string | number)[]);
          // compared: scalars and flow collections (a block collection's end is where each
          // parser looked next); skipped: paths of another document, empty values
          if (!want || !n || want.start === want.end || want.style === "block") return;
          expect([n.kind, text.slice(n.start, n.end)]).toEqual([want.kind, text.slice(want.start, want.end)]);
        });
      });
    }
  }, 60_000);

  test("positions are UTF-16 offsets, also after astral characters", async () => {
    const text = 'a: 🚀🚀\nb: héllo # c\nc: [x, "y"]\n';
    const got = (await call("parse", { text, options: { positions: true }, paths: [["b"], ["c", 1]] }))
      .ok as Array<{
      nodes: Array<{ start: number; end: number; style: string }>;
    }>;
    const [b, y] = got[0]?.nodes ?? [];
    expect(text.slice(b?.start, b?.end)).toBe("héllo");
    expect(text.slice(y?.start, y?.end)).toBe('"y"');
    expect(y?.style).toBe("double");
  });

  test("edits equal the Node build's byte for byte, parse to the merged value, keep the rest", async () => {
    const patch = {
      metadata: {
        labels: { team: "payments", "app.kubernetes.io/managed-by": "capstan" },
        annotations: { note: "true" },
      },
    };
    for (let seed = 200; seed < 215; seed++) {
      const text = stream(seed, 6);
      const got = await call("merge", { text, path: [], patch });
      const editor = nodeYaml.edit(text);
      for (const doc of nodeYaml.parseAllDocuments(text, { positions: true }))
        if (doc.node([])?.kind === "map") editor.merge(doc, [], patch, { before: "spec" });
      expect(got.ok).toBe(editor.toString());
      const out = npmParseAll(got.ok as string).map((d) => d.toJS());
      const before = npmParseAll(text).map((d) => d.toJS());
      out.forEach((doc, i) => {
        expect(doc.spec).toEqual(before[i].spec);
        if (before[i].metadata === null || typeof before[i].metadata === "object")
          expect(doc.metadata.labels).toMatchObject(patch.metadata.labels);
      });
      for (const line of text.split("\n").filter((l) => / # |^# /.test(l)))
        expect(got.ok as string).toContain(line.slice(line.indexOf("# "))); // comments survive as they were
    }
  }, 60_000);

  test("stringify: the Go-YAML layout, and what it writes reads back the same", async () => {
    const v = { a: [1, "true", "x: y", "multi\nline", "", "yes"], b: { c: null, d: [] }, e: {}, f: [[1, 2]] };
    const got = await call("stringify", { value: v });
    expect(got.ok).toBe(
      'a:\n- 1\n- "true"\n- \'x: y\'\n- |-\n  multi\n  line\n- ""\n- "yes"\nb:\n  c: null\n  d: []\ne: {}\nf:\n- - 1\n  - 2\n',
    );
    const r = rng(7);
    for (let i = 0; i < 200; i++) {
      const value1 = value(r, 0);
      const out = await call("stringify", { value: value1 });
      expect(npmParse(out.ok as string)).toEqual(value1);
    }
  }, 60_000);

  test("malformed YAML names line and column", async () => {
    for (const [text, line, column] of [
      ["a: 1\nb: [1,\n", 3, 1],
      ["a: 1\n  b: 2\n", 2, 4],
      ["a: 1\na: 2\n", 2, 1],
      ['k: "open\n', 2, 1],
      ["- a\nb: 1\n", 2, 1],
    ] as const) {
      const got = await call("parse", { text });
      expect(got).toMatchObject({ yaml: true, line, column });
      expect(got.error).toMatch(new RegExp(`^line ${line}, column ${column}: `));
      expect(() => npmParse(text)).toThrow(); // the yaml package refuses them too
    }
  });

  test("alias bombs and deep nesting are capped; the instance keeps working", async () => {
    const lol = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      lol.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    const bomb = await call("parse", { text: `${lol.join("\n")}\n` });
    // capped by default (no option given), at the alias that goes past the cap, named by position
    expect(bomb).toMatchObject({ yaml: true, line: 6 });
    expect(bomb.error).toMatch(/^line 6, column \d+: aliases expand to too many nodes/);
    // the module's Node build refuses it at the same alias with the same error
    let nodeErr: unknown;
    try {
      nodeYaml.parseAllDocuments(`${lol.join("\n")}\n`);
    } catch (e) {
      nodeErr = e;
    }
    expect(nodeErr).toBeInstanceOf(nodeYaml.YamlError);
    const ne = nodeErr as InstanceType<typeof nodeYaml.YamlError>;
    expect([ne.message, ne.line, ne.column]).toEqual([bomb.error, bomb.line, bomb.column]);
    // under the cap both accept it: the same value
    const two = `${lol.slice(0, 3).join("\n")}\n`;
    expect((await call("parse", { text: two })).ok).toEqual(
      nodeYaml.parseAllDocuments(two).map((d) => ({ value: d.value, start: d.start, end: d.end, nodes: [] })),
    );
    expect((await call("parse", { text: "a: &x [1, 2]\nb: *x\n" })).ok).toEqual([
      { value: { a: [1, 2], b: [1, 2] }, start: 0, end: 19, nodes: [] },
    ]);
    const deep = await call("parse", { text: `${"[".repeat(50_000)}${"]".repeat(50_000)}` });
    expect(deep.error).toMatch(/nesting deeper than maxDepth/);
    const cycle = await call("parse", { text: "a: &x [*x]\n" });
    expect(cycle.error).toMatch(/cycle|unknown anchor/);
    const tooDeep = await call("stringify", { value: "leaf", nest: 50_000, options: { maxDepth: 1e9 } });
    expect(tooDeep).toMatchObject({ yaml: true });
    expect(tooDeep.error).toMatch(/deeper than 2000/);
    expect((await call("stringify", { value: { a: 1 } })).ok).toBe("a: 1\n");
  });

  test("mutated manifests never crash the engine: a value or a YamlError with a position", async () => {
    const r = rng(99);
    const base = stream(300, 3);
    const junk = [
      "[",
      "]",
      "{",
      "}",
      ":",
      "- ",
      "&a ",
      "*a",
      "'",
      '"',
      "\t",
      "\n  ",
      "|",
      "? ",
      "%YAML 1.2\n",
      "!!int ",
      "\u0000",
      "\ud83d",
    ];
    for (let i = 0; i < 150; i++) {
      let text = base;
      for (let j = 0; j < 3; j++) {
        const at = Math.floor(r() * text.length);
        text =
          r() < 0.3
            ? text.slice(0, at)
            : text.slice(0, at) + junk[Math.floor(r() * junk.length)] + text.slice(at);
      }
      const got = await call("parse", { text, options: { positions: r() < 0.5 } });
      if (got.error !== undefined) expect(got).toMatchObject({ yaml: true, line: expect.any(Number) });
      else expect(Array.isArray(got.ok)).toBe(true);
    }
    expect((await call("stringify", { value: { ok: true } })).ok).toBe("ok: true\n");
  }, 120_000);

  test("a stream larger than the memory cap fails with out of memory, not a crash", async () => {
    const small = await instantiate(wasm, { config: { "capstan.memory_mb": "8" } });
    try {
      const big = `items:\n${"- {a: 1, b: [x, y, z], c: some text here}\n".repeat(60_000)}`;
      const r = await callText(small, "parse", JSON.stringify({ text: big }));
      expect(r.ok && JSON.parse(r.text).error).toMatch(/out of memory/);
      const again = await callText(small, "stringify", JSON.stringify({ value: [1] }));
      expect(again.ok && JSON.parse(again.text).ok).toBe("- 1\n");
    } finally {
      await small.close();
    }
  }, 60_000);
});
