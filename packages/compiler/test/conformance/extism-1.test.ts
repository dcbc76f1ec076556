// Portability (issue 12.7): @extism/extism 1.0.3 (npm's `latest`) lacks the http_headers,
// get_log_level and log_trace imports. A default build does not load there; a build with
// target "extism-1.0" does, and behaves the same as in Capstan (minus response headers).
// Differential test against the real SDK, installed as the devDependency alias "extism-1".
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createPlugin } from "extism-1";
import { compile } from "../../src/compile.js";
import { moduleShape } from "../helpers.js";
import { startServer } from "./support.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "io");
let current: Uint8Array;
let old: Uint8Array;
let server: { base: string; close: () => void };

const build = async (target?: "extism-1.0") =>
  (
    await compile({
      entry: join(fixture, "index.js"),
      interfaceFile: join(fixture, "plugin.d.ts"),
      skipOpt: true,
      target,
    })
  ).wasm;

beforeAll(async () => {
  current = await build();
  old = await build("extism-1.0");
  server = await startServer();
}, 120_000);

afterAll(() => server?.close());

const importsOf = (wasm: Uint8Array) =>
  moduleShape(wasm)
    .imports.filter((i) => i.startsWith("extism:host/env."))
    .map((i) => i.slice("extism:host/env.".length));

const open = (wasm: Uint8Array, logs: string[] = [], runInWorker = false) => {
  const sink = (level: string) => (msg: string) => logs.push(`${level}: ${msg}`);
  return createPlugin(
    { wasm: [{ data: new Uint8Array(wasm) }] },
    {
      useWasi: true,
      runInWorker,
      config: { region: "eu-west-1" },
      allowedHosts: ["127.0.0.1"],
      logger: {
        debug: sink("debug"),
        info: sink("info"),
        warn: sink("warn"),
        error: sink("error"),
      } as unknown as Console,
    },
  );
};

test("the extism-1.0 target imports none of the kernel functions 1.0.3 lacks", () => {
  for (const name of ["http_headers", "get_log_level", "log_trace"]) {
    expect(importsOf(current)).toContain(name);
    expect(importsOf(old)).not.toContain(name);
  }
});

test("a default build does not load in @extism/extism 1.0.3; the extism-1.0 build runs there", async () => {
  const failed = await (async () => {
    const p = await open(current);
    return p.call("echoString", "x");
  })().catch((e: Error) => e.message);
  expect(String(failed)).toMatch(/http_headers|get_log_level|log_trace/);

  const logs: string[] = [];
  const p = await open(old, logs);
  expect((await p.call("echoString", "héllo 😀"))?.text()).toBe("héllo 😀");
  expect((await p.call("config", JSON.stringify(["region", "nope"])))?.text()).toBe('["eu-west-1",null]');
  await p.call("logs");
  expect(logs).toEqual(
    expect.arrayContaining([
      "info: via info",
      "warn: via warn",
      "error: via error",
      "debug: via debug",
      "debug: via trace",
    ]),
  );
  await p.close();
});

test("HTTP works under 1.0.3 with the extism-1.0 build (status and body; no response headers)", async () => {
  const p = await open(old, [], true);
  const req = JSON.stringify({ url: `${server.base}/json`, method: "POST", body: '{"a":1}' });
  const out = JSON.parse((await p.call("http", req))?.text() ?? "null");
  expect(out).toMatchObject({ status: 201, body: '{"got":{"a":1}}', type: null });
  await p.close();
});
