// Differential check against the reference Extism JS SDK (@extism/extism 2.0.0-rc13): the same
// WAT plugin, importing the whole current kernel ABI (incl. http_headers, get_log_level,
// log_trace), loads in the SDK and gives the same answers as Capstan's kernel.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openExtismModule } from "@capstan/host";
import createPlugin from "@extism/extism";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let wasm: string;
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-extism-sdk-"));
  wasm = await assembleWat("kernel", dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the SDK and Capstan agree on echo, config, vars, errors and log level", async () => {
  const bytes = new Uint8Array(await readFile(wasm));
  const sdk = await createPlugin(
    { wasm: [{ data: bytes }] },
    {
      useWasi: false,
      config: { greeting: "hej" },
      logLevel: "info",
      logger: { ...console, info() {}, warn() {}, error() {}, debug() {}, trace() {} } as unknown as Console,
    },
  );
  const ours = await openExtismModule(
    wasm,
    { name: "same", config: { greeting: "hej" } },
    { logLevel: "info", log() {} },
  );
  const both = async (fn: string, input: string) => {
    const a = await sdk.call(fn, input).then(
      (o) => (o ? text(o.bytes()) : ""),
      (e: Error) => `error: ${e.message}`,
    );
    const b = await ours.call(input, { funcName: fn }).then(text, (e: Error) => `error: ${e.message}`);
    return [a, b];
  };
  const [sdkEcho, ourEcho] = await both("echo", '{"a":"ünï"}');
  expect(ourEcho).toBe(sdkEcho);
  expect(ourEcho).toBe('{"a":"ünï"}');
  const [sdkCfg, ourCfg] = await both("config", "greeting");
  expect([sdkCfg, ourCfg]).toEqual(["hej", "hej"]);
  const [sdkMissing, ourMissing] = await both("config", "nope");
  expect([sdkMissing, ourMissing]).toEqual(["<unset>", "<unset>"]);
  const [sdkLevel, ourLevel] = await both("log", "");
  expect([sdkLevel, ourLevel]).toEqual(["2", "2"]);
  // Vars live across calls in both.
  await both("counter", "");
  const [sdkCount, ourCount] = await both("counter", "");
  expect(Buffer.from(sdkCount as string, "latin1")[0]).toBe(2);
  expect(Buffer.from(ourCount as string, "latin1")[0]).toBe(2);
  const [sdkFail, ourFail] = await both("fail", "");
  expect(sdkFail).toBe("error: Plugin-originated error: something went wrong");
  expect(ourFail).toBe('error: plugin "same" failed: something went wrong');
  await sdk.close();
});
