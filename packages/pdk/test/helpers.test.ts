// defineCli/defineGetter/definePostrenderer bundled as a plugin would bundle them, run in the
// prelude realm with the fake kernel: both postrenderer input shapes, async handlers, errors.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { build } from "esbuild";
import { createRealm, type PluginRealm } from "./support/prelude-vm.js";

let helpers = "";
beforeAll(async () => {
  const r = await build({
    entryPoints: [fileURLToPath(new URL("../src/index.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    globalName: "pdk",
    platform: "neutral",
    target: "es2020",
    write: false,
  });
  helpers = r.outputFiles?.[0]?.text ?? "";
});

async function plugin(define: string, input: unknown): Promise<PluginRealm> {
  const realm = await createRealm({ input: typeof input === "string" ? input : JSON.stringify(input) });
  realm.run(helpers);
  realm.run(`globalThis.main = ${define}`);
  return realm;
}

const output = (r: PluginRealm) => JSON.parse(Buffer.from(r.fake.output() ?? []).toString());
const failure = async (r: PluginRealm) => {
  try {
    await r.runAsync(`main()`);
    return "no error";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
};

describe("definePostrenderer", () => {
  test("string manifests (Capstan) reach the handler; a string return becomes {manifests}", async () => {
    const r = await plugin(
      `pdk.definePostrenderer((i) => i.manifests.toUpperCase() + i.extraArgs.join(",") + i.manifestsMissing)`,
      { manifests: "kind: a\n", extraArgs: ["x", "y"] },
    );
    expect(r.run(`main()`)).toBe(0);
    expect(output(r)).toEqual({ manifests: "KIND: A\nx,yfalse" });
  });
  test("Helm 4.2's {} manifests become '' with manifestsMissing; null extraArgs become []", async () => {
    const r = await plugin(
      `pdk.definePostrenderer((i) => ({ manifests: JSON.stringify([i.manifests, i.manifestsMissing, i.extraArgs]) }))`,
      { manifests: {}, extraArgs: null },
    );
    expect(r.run(`main()`)).toBe(0);
    expect(output(r)).toEqual({ manifests: '["",true,[]]' });
  });
  test("async handlers resolve to 0 after writing the output", async () => {
    const r = await plugin(
      `pdk.definePostrenderer(async (i) => { await null; return i.manifests + "---\\n"; })`,
      { manifests: "a: 1\n" },
    );
    expect(await r.runAsync(`main()`)).toBe(0);
    expect(output(r)).toEqual({ manifests: "a: 1\n---\n" });
  });
  test("throws and rejections propagate with their message; empty output is an error", async () => {
    expect(
      await failure(
        await plugin(`pdk.definePostrenderer(() => { throw new RangeError("bad chart") })`, {
          manifests: "x",
        }),
      ),
    ).toBe("RangeError: bad chart");
    expect(
      await failure(
        await plugin(`pdk.definePostrenderer(async () => { throw new Error("async boom") })`, {
          manifests: "x",
        }),
      ),
    ).toBe("Error: async boom");
    expect(await failure(await plugin(`pdk.definePostrenderer(() => "  \\n")`, { manifests: "x" }))).toMatch(
      /whitespace-only/,
    );
    expect(await failure(await plugin(`pdk.definePostrenderer(() => 42)`, { manifests: "x" }))).toMatch(
      /TypeError: definePostrenderer: the handler must return/,
    );
    expect(await failure(await plugin(`pdk.definePostrenderer((i) => i.manifests)`, "not json"))).toMatch(
      /TypeError: postrenderer\/v1 input is not valid JSON/,
    );
    expect(
      await failure(await plugin(`pdk.definePostrenderer((i) => i.manifests)`, { manifests: 5 })),
    ).toMatch(/must be a string/);
  });
});

describe("defineGetter", () => {
  test("bytes, strings and {data} results become base64 data", async () => {
    const bytes = [0, 1, 254, 255];
    const r = await plugin(`pdk.defineGetter((i) => new Uint8Array(${JSON.stringify(bytes)}))`, {
      href: "s3://b/k",
      protocol: "s3",
      options: { Timeout: 1 },
    });
    expect(r.run(`main()`)).toBe(0);
    expect(output(r)).toEqual({ data: Buffer.from(bytes).toString("base64") });
    const s = await plugin(
      `pdk.defineGetter((i) => i.href + "|" + i.protocol + "|" + JSON.stringify(i.options))`,
      { href: "s3://b/k", options: null },
    );
    expect(s.run(`main()`)).toBe(0);
    expect(Buffer.from(output(s).data, "base64").toString()).toBe("s3://b/k|s3|{}");
    const d = await plugin(`pdk.defineGetter(async () => ({ data: "aGk=" }))`, {
      href: "x://y",
      protocol: "x",
      options: {},
    });
    expect(await d.runAsync(`main()`)).toBe(0);
    expect(output(d)).toEqual({ data: "aGk=" });
    const ab = await plugin(`pdk.defineGetter(() => new Uint8Array([104, 105]).buffer)`, {
      href: "x://y",
      protocol: "x",
      options: {},
    });
    ab.run(`main()`);
    expect(output(ab)).toEqual({ data: "aGk=" });
  });
  test("a missing href and a bad result are errors", async () => {
    expect(await failure(await plugin(`pdk.defineGetter(() => "x")`, { protocol: "s3" }))).toMatch(
      /"href" must be a string/,
    );
    expect(await failure(await plugin(`pdk.defineGetter(() => 12)`, { href: "a://b" }))).toMatch(
      /defineGetter: the handler must return bytes/,
    );
  });
});

describe("defineCli", () => {
  test("nothing, an exit code, or an output message", async () => {
    const a = await plugin(`pdk.defineCli((i) => { console.log(i.extraArgs.join(" ")) })`, {
      extraArgs: ["--flag", "v"],
    });
    expect(a.run(`main()`)).toBe(0);
    expect(output(a)).toEqual({});
    expect(a.fake.logs).toEqual([[2, "--flag v"]]);
    const b = await plugin(`pdk.defineCli(() => 3)`, { extraArgs: [] });
    b.run(`main()`);
    expect(output(b)).toEqual({ exitCode: 3 });
    const c = await plugin(`pdk.defineCli(async (i) => ({ data: { n: i.extraArgs.length } }))`, {});
    expect(await c.runAsync(`main()`)).toBe(0);
    expect(output(c)).toEqual({ data: { n: 0 } });
    expect(await failure(await plugin(`pdk.defineCli(() => 300)`, {}))).toMatch(
      /RangeError: defineCli: exit code/,
    );
    expect(await failure(await plugin(`pdk.defineCli((i) => i)`, { extraArgs: "nope" }))).toMatch(
      /"extraArgs" must be a list of strings/,
    );
  });
  test("a non-function handler is refused at definition time", async () => {
    const r = await createRealm();
    r.run(helpers);
    expect(r.run(`(() => { try { pdk.defineCli(5); } catch (e) { return e.message; } })()`)).toBe(
      "cli/v1: the handler must be a function",
    );
  });
});

describe("export binding", () => {
  test("a helper that is not exported registers itself as module.exports.helm_plugin_main", async () => {
    const r = await createRealm({ input: JSON.stringify({ manifests: "a: 1\n" }) });
    r.run(`var module = { exports: {} };`);
    r.run(helpers);
    r.run(`pdk.definePostrenderer((i) => i.manifests + "b: 2\\n"); pdk.defineCli(() => 1);`);
    expect(r.run(`module.exports.helm_plugin_main()`)).toBe(0);
    expect(output(r)).toEqual({ manifests: "a: 1\nb: 2\n" });
  });
  test("an explicit export keeps precedence", async () => {
    const r = await createRealm();
    r.run(
      `var module = { exports: {} }; Object.defineProperty(module.exports, "helm_plugin_main", { enumerable: true, get: () => "mine" });`,
    );
    r.run(helpers);
    r.run(`pdk.defineCli(() => 1);`);
    expect(r.run(`module.exports.helm_plugin_main`)).toBe("mine");
  });
});
