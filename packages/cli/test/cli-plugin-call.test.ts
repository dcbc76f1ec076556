// `capstan plugin call`: any export of a bare .wasm (flags are its only grants), a plugin
// directory or an installed plugin (plugin.yaml's grants plus the flags), spawned from the
// built CLI. Output is raw bytes on a pipe; failures map to the CLI's exit codes.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat, capstan, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

let home: Home;
let wasm: string;
let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  const bytes = await assembleWat("call");
  wasm = join(home.root, "call.wasm");
  writeFileSync(wasm, bytes);
  const yaml = (name: string) =>
    [
      "apiVersion: v1",
      `name: ${name}`,
      "version: 0.1.0",
      "type: cli/v1",
      "runtime: extism/v1",
      "runtimeConfig:",
      "  config:",
      "    greeting: from-yaml",
      "  allowedHosts: [127.0.0.1]",
      "",
    ].join("\n");
  dir = writePlugin(home, "caller", yaml("caller"), { "plugin.wasm": bytes });
  writePlugin(home, "called", yaml("called-by-name"), { "plugin.wasm": bytes });
  server = createServer((_req, res) => res.end("served body"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  home.remove();
  await new Promise((r) => server.close(r));
});

test("a bare .wasm: --input goes in, the output comes out as raw bytes on a pipe", async () => {
  const raw = "bytes \x1b[31m as they are\r\n";
  const r = await capstan(home, ["plugin", "call", wasm, "echo", "--input", raw]);
  expect(r).toEqual({ code: 0, stdout: raw, stderr: "" });
  expect(await capstan(home, ["plugin", "call", wasm, "echo"])).toEqual({ code: 0, stdout: "", stderr: "" });
});

test("--input-file reads a file, and - reads stdin", async () => {
  const file = join(home.root, "in.txt");
  writeFileSync(file, "from a file");
  expect((await capstan(home, ["plugin", "call", wasm, "echo", "--input-file", file])).stdout).toBe(
    "from a file",
  );
  const r = await capstan(home, ["plugin", "call", wasm, "echo", "--input-file", "-"], {
    input: "from stdin",
  });
  expect(r).toEqual({ code: 0, stdout: "from stdin", stderr: "" });
  const both = await capstan(home, ["plugin", "call", wasm, "echo", "--input", "a", "--input-file", file]);
  expect(both.code).toBe(2);
  expect(both.stderr).toContain("--input and --input-file exclude each other");
});

test("--config sets config values; on a plugin directory it wins over plugin.yaml", async () => {
  const bare = await capstan(home, ["plugin", "call", wasm, "greeting", "--config", "greeting=hi"]);
  expect(bare).toEqual({ code: 0, stdout: "hi", stderr: "" });
  expect((await capstan(home, ["plugin", "call", dir, "greeting"])).stdout).toBe("from-yaml");
  expect((await capstan(home, ["plugin", "call", dir, "greeting", "--config", "greeting=flag"])).stdout).toBe(
    "flag",
  );
  const bad = await capstan(home, ["plugin", "call", wasm, "greeting", "--config", "novalue"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(
    /^error: --config "novalue": expected key=value\nhint: run 'capstan plugin call --help'/,
  );
});

test("an installed plugin by name gets its plugin.yaml grants (allowedHosts)", async () => {
  const input = JSON.stringify({ url: `http://127.0.0.1:${port}/x`, method: "GET" });
  const r = await capstan(home, ["plugin", "call", "called-by-name", "fetch", "--input", input]);
  expect(r).toEqual({ code: 0, stdout: "served body", stderr: "" });
});

test("a bare .wasm has no network without --allow-host: denied with exit 8 and a hint", async () => {
  const input = JSON.stringify({ url: `http://127.0.0.1:${port}/x`, method: "GET" });
  const denied = await capstan(home, ["plugin", "call", wasm, "fetch", "--input", input]);
  expect(denied.code).toBe(8);
  expect(denied.stderr).toMatch(/^error: .*127\.0\.0\.1/);
  expect(denied.stderr).toMatch(/\nhint: [^\n]+\n$/);
  const allowed = await capstan(home, [
    "plugin",
    "call",
    wasm,
    "fetch",
    "--input",
    input,
    "--allow-host",
    "127.0.0.1",
  ]);
  expect(allowed).toEqual({ code: 0, stdout: "served body", stderr: "" });
});

test("--timeout stops a call that never returns (exit 7); a failing export exits 6", async () => {
  const slow = await capstan(home, ["plugin", "call", wasm, "spin", "--timeout", "300ms"]);
  expect(slow.code).toBe(7);
  expect(slow.stderr).toMatch(/^error: plugin "call" did not finish within 300 ms and was stopped\nhint: /);
  const failed = await capstan(home, ["plugin", "call", wasm, "fail"]);
  expect(failed.code).toBe(6);
  expect(failed.stderr).toMatch(/^error: plugin "call" failed: it failed\nhint: /);
});

test("a missing export lists the exports; a missing file or plugin is not found (exit 4)", async () => {
  const r = await capstan(home, ["plugin", "call", wasm, "nope"]);
  expect(r.code).toBe(6);
  expect(r.stderr).toContain(
    "hint: call one of the module's exported functions (it exports echo, greeting, fetch, spin, fail, read, write)",
  );
  expect((await capstan(home, ["plugin", "call", join(home.root, "none.wasm"), "echo"])).code).toBe(4);
  expect((await capstan(home, ["plugin", "call", "not-installed", "echo"])).code).toBe(4);
});

test("--allow-path mounts a directory, read-only unless :rw; none without it", async () => {
  const data = join(home.root, "data");
  mkdirSync(data);
  writeFileSync(join(data, "note.txt"), "mounted text");
  const call = (exp: string, ...flags: string[]) =>
    capstan(home, ["plugin", "call", wasm, exp, "--input", "note.txt", ...flags]);
  const read = await call("read", "--allow-path", `${data}:/data`);
  expect(read.code).toBe(0);
  expect(read.stdout).toBe("\0mounted text");
  expect((await call("read")).stdout.charCodeAt(0)).not.toBe(0); // no mount: fd 3 is not a directory
  const ro = await call("write", "--allow-path", `${data}:/data`);
  expect(ro.stdout.charCodeAt(0)).not.toBe(0);
  expect(readFileSync(join(data, "note.txt"), "utf8")).toBe("mounted text");
  const rw = await call("write", "--allow-path", `${data}:/data:rw`);
  expect(rw).toEqual({ code: 0, stdout: "\0", stderr: "" });
  expect(readFileSync(join(data, "note.txt"), "utf8")).toBe(""); // created with O_TRUNC
  const bad = await capstan(home, ["plugin", "call", wasm, "echo", "--allow-path", `${data}:data`]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("the guest path must be absolute");
});
