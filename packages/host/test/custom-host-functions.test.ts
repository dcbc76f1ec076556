// Host functions an embedder registers (defineHostFunction + the hostFunctions option): typed
// parameters and results through the kernel's memory, in both isolation modes; async ones only
// in a worker; clashes with built-ins refused; failures inside them are code "host-function".
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CustomHostFunction, defineHostFunction, openExtismModule } from "@capstan/host";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let wasm: string;
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");
const remembered: Uint8Array[] = [];

/** Every function the fixture imports; `wait` sync or async. */
function functions(asyncWait: boolean, extra: Partial<Record<string, CustomHostFunction>> = {}) {
  const fns: Record<string, CustomHostFunction> = {
    greet: defineHostFunction({
      name: "greet",
      params: ["string"],
      results: ["string"],
      run: (ctx, name) => `hello ${name} from ${ctx.pluginName}`,
    }),
    add: defineHostFunction({
      name: "add",
      params: ["i32", "i32"],
      results: ["i32"],
      run: (_c, a, b) => a + b,
    }),
    scale: defineHostFunction({
      name: "scale",
      params: ["i64", "f64"],
      results: ["i64"],
      run: (_c, n, f) => BigInt(Math.round(Number(n) * f)),
    }),
    lookup: defineHostFunction({
      name: "lookup",
      params: ["json"],
      results: ["json"],
      run: (_c, q) => {
        const key = (q as { key?: string }).key;
        if (key === "explode") throw new Error("the database is down");
        return { key, found: key === "a", list: [1, 2] };
      },
    }),
    remember: defineHostFunction({
      name: "remember",
      params: ["bytes"],
      results: [],
      run: (_c, b) => {
        remembered.push(b); // kept past the call: run gets a copy, not a view of plugin memory
      },
    }),
    wait: asyncWait
      ? defineHostFunction({
          name: "wait",
          params: ["string"],
          results: ["string"],
          run: async (_c, s) => {
            await new Promise((r) => setTimeout(r, 20));
            return `waited for ${s}`;
          },
        })
      : defineHostFunction({
          name: "wait",
          params: ["string"],
          results: ["string"],
          run: (_c, s) => `no wait: ${s}`,
        }),
  };
  return Object.values({ ...fns, ...extra }) as CustomHostFunction[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-custom-host-"));
  wasm = await assembleWat("custom-host-functions", dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(["inline", "worker"] as const)("isolation %s", (isolation) => {
  test("string, i32, i64/f64, json and bytes cross the boundary typed", async () => {
    const rt = await openExtismModule(
      wasm,
      { name: "typed" },
      { isolation, hostFunctions: functions(isolation === "worker") },
    );
    try {
      expect(text(await rt.call("wörld", { funcName: "greet" }))).toBe("hello wörld from typed");
      expect(Buffer.from(await rt.call("", { funcName: "add" })).readInt32LE(0)).toBe(42);
      expect(Buffer.from(await rt.call("abcd", { funcName: "scale" })).readBigInt64LE(0)).toBe(6n);
      expect(JSON.parse(text(await rt.call('{"key":"a"}', { funcName: "lookup" })))).toEqual({
        key: "a",
        found: true,
        list: [1, 2],
      });
      remembered.length = 0;
      expect(await rt.call(new Uint8Array([0, 255, 7]), { funcName: "remember" })).toEqual(new Uint8Array(0));
      expect(remembered).toEqual([new Uint8Array([0, 255, 7])]);
    } finally {
      await rt.close();
    }
  });

  test("a function that throws fails the call with code host-function, naming it and the plugin", async () => {
    const rt = await openExtismModule(
      wasm,
      { name: "typed" },
      { isolation, hostFunctions: functions(isolation === "worker") },
    );
    try {
      await expect(rt.call('{"key":"explode"}', { funcName: "lookup" })).rejects.toMatchObject({
        code: "host-function",
        exitCode: 1,
        message: 'host function "lookup" failed while plugin "typed" called it: the database is down',
        hint: expect.stringContaining("host program's own function"),
      });
      // The runtime stays usable.
      expect(text(await rt.call("again", { funcName: "greet" }))).toBe("hello again from typed");
    } finally {
      await rt.close();
    }
  });
});

test("an async function runs with worker isolation: the plugin waits for its Promise", async () => {
  const rt = await openExtismModule(
    wasm,
    { name: "patient" },
    { isolation: "worker", hostFunctions: functions(true) },
  );
  try {
    expect(text(await rt.call("the database", { funcName: "wait" }))).toBe("waited for the database");
  } finally {
    await rt.close();
  }
});

test("an async function is refused at open without worker isolation", async () => {
  await expect(
    openExtismModule(wasm, { name: "hasty" }, { hostFunctions: functions(true) }),
  ).rejects.toMatchObject({
    code: "host-function",
    message: 'plugin "hasty": host function "wait" is async, which inline isolation cannot wait for',
    hint: expect.stringContaining('isolation: "worker"'),
  });
});

test("a sync-declared function that returns a Promise fails the call instead of hanging", async () => {
  const sneaky = defineHostFunction({
    name: "wait",
    params: ["string"],
    results: ["string"],
    async: false,
    run: () => Promise.resolve("late") as unknown as string,
  });
  const rt = await openExtismModule(
    wasm,
    { name: "sneaky" },
    { hostFunctions: functions(false, { wait: sneaky }) },
  );
  await expect(rt.call("x", { funcName: "wait" })).rejects.toMatchObject({
    code: "host-function",
    message: 'host function "wait" returned a Promise but is not declared async',
  });
});

test("a name of a built-in, a duplicate, and a malformed definition are refused", async () => {
  const clash = defineHostFunction({
    name: "capstan_host_info",
    params: [],
    results: ["json"],
    run: () => ({}),
  });
  await expect(
    openExtismModule(wasm, { name: "clash" }, { hostFunctions: [...functions(false), clash] }),
  ).rejects.toMatchObject({
    code: "host-function",
    message: 'plugin "clash": host function "capstan_host_info" has the name of a Capstan built-in',
  });
  const fns = functions(false);
  await expect(
    openExtismModule(wasm, { name: "twice" }, { hostFunctions: [...fns, fns[0]!] }),
  ).rejects.toMatchObject({
    code: "host-function",
    message: 'plugin "twice": host function "greet" is registered twice',
  });
  expect(() =>
    defineHostFunction({ name: "x", params: ["u8" as "i32"], results: [], run: () => undefined }),
  ).toThrow('host function "x": unknown type "u8"');
  expect(() =>
    defineHostFunction({ name: "x", params: [], results: ["i32", "i32"], run: () => undefined as never }),
  ).toThrow('host function "x": at most one result');
});

test("an import the embedder did not register is still a link error naming it", async () => {
  const some = functions(false).filter((f) => f.name !== "lookup");
  await expect(openExtismModule(wasm, { name: "partial" }, { hostFunctions: some })).rejects.toMatchObject({
    code: "link",
    message: expect.stringContaining('"extism:host/user"."lookup"'),
  });
});
