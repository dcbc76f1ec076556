// isolation "worker": the same plugins and limits, with calls in a worker thread so that the
// host's event loop stays free (here: an HTTP server on the test's own main thread).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExtismRuntime, openExtismModule, type RuntimeError } from "@capstan/host";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let kernelWasm: string;
let wasiWasm: string;
let hostFnWasm: string;
let server: Server;
let base: string;
const open: ExtismRuntime[] = [];
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

async function worker(
  wasm: string,
  policy: Parameters<typeof openExtismModule>[1],
  opts: Parameters<typeof openExtismModule>[2] = {},
) {
  const rt = await openExtismModule(wasm, policy, { ...opts, isolation: "worker" });
  open.push(rt);
  return rt;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-extism-worker-"));
  [kernelWasm, wasiWasm, hostFnWasm] = await Promise.all([
    assembleWat("kernel", dir),
    assembleWat("wasi", dir),
    assembleWat("host-functions", dir),
  ]);
  server = createServer((req, res) => res.end(`main-thread server saw ${req.url}`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all(open.map((rt) => rt.close()));
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

test("echo, errors and vars work the same in a worker", async () => {
  const rt = await worker(kernelWasm, { name: "w" });
  expect(text(await rt.call("hello from a worker"))).toBe("hello from a worker");
  await expect(rt.call("", { funcName: "fail" })).rejects.toMatchObject({
    code: "plugin-error",
    message: 'plugin "w" failed: something went wrong',
  });
  const count = async () => Buffer.from(await rt.call("", { funcName: "counter" })).readBigUInt64LE(0);
  expect(await count()).toBe(1n);
  expect(await count()).toBe(2n);
  expect(rt.vars.get("count")?.length).toBe(8);
});

test("a plugin in a worker can reach a server on the host's own main thread", async () => {
  const rt = await worker(kernelWasm, { name: "w", allowedHosts: ["127.0.0.1"] });
  const req = JSON.stringify({ url: `${base}/ping`, method: "GET", headers: {} });
  expect(text(await rt.call(req, { funcName: "http" }))).toBe("200 main-thread server saw /ping");
  const denied = await worker(kernelWasm, { name: "w2" });
  await expect(denied.call(req, { funcName: "http" })).rejects.toMatchObject({ code: "http-denied" });
});

test("in-process, the same request cannot be answered: the deadline says why", async () => {
  const rt = await openExtismModule(kernelWasm, {
    name: "inline",
    allowedHosts: ["127.0.0.1"],
    // Long enough for the plugin to send its request on a loaded machine: the message must
    // name the request it was waiting for.
    timeoutMs: 2000,
  });
  const err = (await rt
    .call(JSON.stringify({ url: `${base}/ping`, method: "GET", headers: {} }), { funcName: "http" })
    .catch((e) => e)) as RuntimeError;
  expect(err.code).toBe("timeout");
  expect(err.message).toBe(
    `plugin "inline" did not finish within 2000 ms and was stopped while waiting for ${base}/ping`,
  );
  expect(err.hint).toContain('isolation: "worker"');
});

test("a runaway loop is terminated at the deadline; a fresh worker serves the next call", async () => {
  // Room for the worker to start on a loaded CI machine; the loop never ends on its own.
  const rt = await worker(kernelWasm, { name: "spin", timeoutMs: 1500 });
  // The calls around the loop get deadlines a loaded machine cannot miss (worker start included).
  const roomy = { timeoutMs: 600_000 };
  expect(text(await rt.call("warm", roomy))).toBe("warm");
  await expect(rt.call("", { funcName: "loop" })).rejects.toMatchObject({
    code: "timeout",
    message: 'plugin "spin" did not finish within 1500 ms and was stopped',
  });
  expect(text(await rt.call("alive", roomy))).toBe("alive");
});

test("traps and memory bombs are classified as in-process", async () => {
  const rt = await worker(kernelWasm, { name: "bad", maxPages: 64 });
  await expect(rt.call("", { funcName: "trap" })).rejects.toMatchObject({
    code: "trap",
    message: 'plugin "bad" crashed (wasm trap: unreachable)',
  });
  await expect(rt.call("", { funcName: "grow" })).rejects.toMatchObject({ code: "memory" });
  expect(text(await rt.call("fine"))).toBe("fine");
});

test("host functions, WASI files, env and logs work from a worker", async () => {
  const logs: string[] = [];
  const log = (level: string, message: string) => logs.push(`${level}:${message}`);
  const fns = await worker(hostFnWasm, {
    name: "fns",
    hostFunctions: ["capstan_yaml_parse", "capstan_host_info"],
  });
  expect(
    JSON.parse(text(await fns.call(JSON.stringify({ yaml: "a: 1\n---\nb: 2\n" }), { funcName: "yaml" }))),
  ).toEqual({
    result: [{ a: 1 }, { b: 2 }],
    error: null,
  });
  const data = join(dir, "data");
  await mkdir(data, { recursive: true });
  await writeFile(join(data, "f.txt"), "from a file");
  const files = await worker(
    wasiWasm,
    { name: "files", allowedPaths: [{ hostPath: data, guestPath: "/data", writable: false }], env: ["ONLY"] },
    { env: { ONLY: "me", OTHER: "no" } },
  );
  expect(text(await files.call("3:f.txt", { funcName: "read" }))).toBe("from a file");
  await expect(files.call("3:new.txt", { funcName: "write" })).rejects.toMatchObject({
    message: 'plugin "files" failed: errno 69',
  });
  expect(text(await files.call("", { funcName: "env" }))).toBe("ONLY=me\0");
  const logger = await worker(kernelWasm, { name: "logger" }, { log, logLevel: "info" });
  expect(text(await logger.call("", { funcName: "log" }))).toBe("2");
  expect(logs).toEqual(["info:info message", "warn:warn message", "error:error message"]);
});
