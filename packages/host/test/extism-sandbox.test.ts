// The extism/v1 sandbox grants against real Wasm: HTTP only to allowedHosts (a real server on
// 127.0.0.1), files only under allowedPaths (read-only unless writable) and the per-call /tmp,
// env only from the allowlist, stdio only when granted.
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { openExtismModule, type RuntimeError, stopHttpWorker } from "@capstan/host";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let kernelWasm: string;
let wasiWasm: string;
let server: Worker;
const serverSource = `
const { createServer } = require("node:http");
const { parentPort } = require("node:worker_threads");
let other = 0; // port of a second server: another origin on the same host
const handler = (req, res) => {
  if (req.url === "/hello") {
    res.setHeader("x-capstan-test", "yes");
    res.end("hello over http");
  } else if (req.url === "/slow") {
    setTimeout(() => res.end("too late"), 3000);
  } else if (req.url === "/big") {
    res.end("x".repeat(5000));
  } else if (req.url === "/redirect-out") {
    res.statusCode = 302;
    res.setHeader("location", "http://localhost.invalid/elsewhere");
    res.end();
  } else if (req.url === "/to-other" || req.url === "/to-self") {
    res.statusCode = 302;
    const port = req.url === "/to-other" ? other : req.socket.localPort;
    res.setHeader("location", "http://127.0.0.1:" + port + "/echo-auth");
    res.end();
  } else if (req.url === "/echo-auth") {
    res.end(req.headers.authorization ?? "none");
  } else {
    res.statusCode = 404;
    res.end("not here");
  }
};
const second = createServer(handler);
const server = createServer(handler);
second.listen(0, "127.0.0.1", () => {
  other = second.address().port;
  server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
});
`;
let base: string;
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-extism-sandbox-"));
  [kernelWasm, wasiWasm] = await Promise.all([assembleWat("kernel", dir), assembleWat("wasi", dir)]);
  // The server runs in a worker thread: a plugin call blocks the main thread while it waits
  // for HTTP (docs/security.md), so a server on the main thread could never answer.
  server = new Worker(serverSource, { eval: true });
  const port = await new Promise<number>((r) => server.once("message", r));
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await stopHttpWorker();
  await server.terminate();
  await rm(dir, { recursive: true, force: true });
});

const request = (url: string) => JSON.stringify({ url, method: "GET", headers: { accept: "text/plain" } });

describe("http", () => {
  test("an allowed host is reachable; status and body come back", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "fetcher", allowedHosts: ["127.0.0.1"] });
    expect(text(await rt.call(request(`${base}/hello`), { funcName: "http" }))).toBe("200 hello over http");
    expect(text(await rt.call(request(`${base}/nope`), { funcName: "http" }))).toBe("404 not here");
  });

  test("http_headers returns the last response's headers as JSON", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "fetcher", allowedHosts: ["127.0.0.*"] });
    const headers = JSON.parse(text(await rt.call(request(`${base}/hello`), { funcName: "http_headers" })));
    expect(headers["x-capstan-test"]).toBe("yes");
    expect(headers["content-length"]).toBe("15");
  });

  test("a host outside allowedHosts is denied with a message naming it", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "sneaky", allowedHosts: ["example.com"] });
    const err = (await rt
      .call(request(`${base}/hello`), { funcName: "http" })
      .catch((e) => e)) as RuntimeError;
    expect(err.code).toBe("http-denied");
    expect(err.exitCode).toBe(8);
    expect(err.message).toBe(
      'plugin "sneaky" tried to reach "127.0.0.1", which is not in runtimeConfig.allowedHosts',
    );
    expect(err.hint).toContain('add "127.0.0.1" to runtimeConfig.allowedHosts');
  });

  test("no allowedHosts means no network at all", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "offline" });
    await expect(rt.call(request(`${base}/hello`), { funcName: "http" })).rejects.toMatchObject({
      code: "http-denied",
      message:
        'plugin "offline" tried to reach "127.0.0.1" but has no network access (runtimeConfig.allowedHosts is empty)',
    });
  });

  test("file:// and ftp:// URLs are refused with a hint that fits (not 'add a host to allowedHosts')", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "schemer", allowedHosts: ["*"] });
    const file = (await rt
      .call(request("file:///etc/passwd"), { funcName: "http" })
      .catch((e) => e)) as RuntimeError;
    expect(file).toMatchObject({
      code: "http-denied",
      message:
        'plugin "schemer" requested file:///etc/passwd: scheme "file:" is not allowed (only http and https)',
    });
    expect(file.hint).toContain("runtimeConfig.allowedPaths");
    const ftp = (await rt
      .call(request("ftp://example.com/x"), { funcName: "http" })
      .catch((e) => e)) as RuntimeError;
    expect(ftp).toMatchObject({
      code: "http-denied",
      hint: "plugins can fetch http:// and https:// URLs only",
    });
    expect(`${file.hint} ${ftp.hint}`).not.toContain("allowedHosts");
  });

  test("a redirect to a host outside allowedHosts is denied", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "redirected", allowedHosts: ["127.0.0.1"] });
    await expect(rt.call(request(`${base}/redirect-out`), { funcName: "http" })).rejects.toMatchObject({
      code: "http-denied",
      message: expect.stringContaining('host "localhost.invalid" (redirected from'),
    });
  });

  test("credentials are not forwarded when a redirect changes the origin", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "leaky", allowedHosts: ["127.0.0.1"] });
    const withAuth = (path: string) =>
      JSON.stringify({ url: `${base}${path}`, method: "GET", headers: { Authorization: "Bearer s3cret" } });
    expect(text(await rt.call(withAuth("/to-self"), { funcName: "http" }))).toBe("200 Bearer s3cret");
    expect(text(await rt.call(withAuth("/to-other"), { funcName: "http" }))).toBe("200 none");
  });

  test("a response over maxHttpResponseBytes is refused", async () => {
    const rt = await openExtismModule(kernelWasm, {
      name: "hungry",
      allowedHosts: ["127.0.0.1"],
      maxHttpResponseBytes: 4096,
    });
    await expect(rt.call(request(`${base}/big`), { funcName: "http" })).rejects.toMatchObject({
      code: "http-limit",
      message: expect.stringContaining(
        "is larger than 4096 bytes (runtimeConfig.memory.maxHttpResponseBytes)",
      ),
    });
    expect(text(await rt.call(request(`${base}/hello`), { funcName: "http" }))).toBe("200 hello over http");
  });

  test("the deadline also stops a plugin waiting for a slow server; the next request works", async () => {
    const rt = await openExtismModule(kernelWasm, {
      name: "patient",
      allowedHosts: ["127.0.0.1"],
      timeoutMs: 400,
    });
    await expect(rt.call(request(`${base}/slow`), { funcName: "http" })).rejects.toMatchObject({
      code: "timeout",
      message: `plugin "patient" did not finish within 400 ms and was stopped while waiting for ${base}/slow`,
    });
    // The next request gets a deadline a loaded machine cannot miss: what counts is that it works.
    expect(text(await rt.call(request(`${base}/hello`), { funcName: "http", timeoutMs: 30_000 }))).toBe(
      "200 hello over http",
    );
  });

  test("a refused connection is an http error, not a hang", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "unlucky", allowedHosts: ["127.0.0.1"] });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(rt.call(request(`http://127.0.0.1:${port}/`), { funcName: "http" })).rejects.toMatchObject({
      code: "http",
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });
});

describe("files", () => {
  let data: string;
  let out: string;
  beforeAll(async () => {
    data = join(dir, "data");
    out = join(dir, "out");
    await mkdir(data);
    await mkdir(out);
    await writeFile(join(data, "hello.txt"), "file contents\n");
    await writeFile(join(dir, "secret.txt"), "do not read");
  });

  test("a file under allowedPaths is readable through its guest path", async () => {
    const rt = await openExtismModule(wasiWasm, {
      name: "reader",
      allowedPaths: [{ hostPath: data, guestPath: "/data", writable: false }],
    });
    expect(text(await rt.call("3:hello.txt", { funcName: "read" }))).toBe("file contents\n");
  });

  test("paths outside the preopen are refused (ENOTCAPABLE), and nothing is mounted by default", async () => {
    const rt = await openExtismModule(wasiWasm, {
      name: "reader",
      allowedPaths: [{ hostPath: data, guestPath: "/data", writable: false }],
    });
    await expect(rt.call("3:../secret.txt", { funcName: "read" })).rejects.toMatchObject({
      code: "plugin-error",
      message: 'plugin "reader" failed: errno 76',
    });
    const bare = await openExtismModule(wasiWasm, { name: "bare" });
    await expect(bare.call("3:hello.txt", { funcName: "read" })).rejects.toMatchObject({
      message: 'plugin "bare" failed: errno 08', // EBADF: fd 3 does not exist
    });
  });

  test("a symlink inside a mount cannot lead outside it, as the last component or in the middle", async () => {
    await symlink(join(dir, "secret.txt"), join(data, "escape.txt"));
    await symlink(dir, join(data, "up"));
    try {
      const rt = await openExtismModule(wasiWasm, {
        name: "linker",
        allowedPaths: [{ hostPath: data, guestPath: "/data", writable: false }],
      });
      await expect(rt.call("3:escape.txt", { funcName: "read" })).rejects.toMatchObject({
        message: 'plugin "linker" failed: errno 76',
      });
      // Without LOOKUP_SYMLINK_FOLLOW the OS must not follow the link either.
      await expect(rt.call("3:escape.txt", { funcName: "read_nofollow" })).rejects.toMatchObject({
        message: 'plugin "linker" failed: errno 76',
      });
      await expect(rt.call("3:up/secret.txt", { funcName: "read" })).rejects.toMatchObject({
        message: 'plugin "linker" failed: errno 76',
      });
      // Links that stay inside the mount keep working.
      await mkdir(join(data, "inner"));
      await writeFile(join(data, "inner", "x.txt"), "inside");
      await symlink(join(data, "inner"), join(data, "alias"));
      expect(text(await rt.call("3:alias/x.txt", { funcName: "read_nofollow" }))).toBe("inside");
    } finally {
      await rm(join(data, "escape.txt"));
      await rm(join(data, "up"));
      await rm(join(data, "alias"));
      await rm(join(data, "inner"), { recursive: true });
    }
  });

  test("a plugin cannot make a symlink that leads out of a writable mount", async () => {
    const scratch = join(dir, "scratch");
    await mkdir(scratch);
    const rw = await openExtismModule(wasiWasm, {
      name: "digger",
      allowedPaths: [{ hostPath: scratch, guestPath: "/scratch", writable: true }],
    });
    // node:wasi refuses the link itself; a link moved out of a deeper directory would still be
    // caught at use by the path confinement tested above.
    await expect(rw.call("3:root", { funcName: "symlink_root" })).rejects.toMatchObject({
      message: 'plugin "digger" failed: errno 76',
    });
    expect(await readdir(scratch)).toEqual([]);
  });

  test("a missing allowedPaths directory is a config error at open", async () => {
    await expect(
      openExtismModule(wasiWasm, {
        name: "lost",
        allowedPaths: [{ hostPath: join(dir, "nowhere"), guestPath: "/data", writable: false }],
      }),
    ).rejects.toMatchObject({
      code: "config",
      exitCode: 3,
      message: `plugin "lost": runtimeConfig.allowedPaths: ${join(dir, "nowhere")} (mounted at /data) does not exist`,
    });
  });

  test("read-only mounts refuse writes (EROFS); writable mounts accept them", async () => {
    const rt = await openExtismModule(wasiWasm, {
      name: "writer",
      allowedPaths: [
        { hostPath: data, guestPath: "/data", writable: false },
        { hostPath: out, guestPath: "/out", writable: true },
      ],
    });
    await expect(rt.call("3:new.txt", { funcName: "write" })).rejects.toMatchObject({
      message: 'plugin "writer" failed: errno 69',
    });
    await expect(rt.call("3:newdir", { funcName: "mkdir" })).rejects.toMatchObject({
      message: 'plugin "writer" failed: errno 69',
    });
    expect(await readdir(data)).toEqual(["hello.txt"]);
    expect(text(await rt.call("4:new.txt", { funcName: "write" }))).toBe("ok");
    expect(readFileSync(join(out, "new.txt"), "utf8")).toBe("written by plugin");
  });

  test("createTempDir mounts a fresh /tmp per call and removes it afterwards", async () => {
    const parent = join(dir, "tmp-parent");
    await mkdir(parent);
    const rt = await openExtismModule(wasiWasm, { name: "scratch", createTempDir: true });
    expect(text(await rt.call("3:scratch.txt", { funcName: "write", tempDir: parent }))).toBe("ok");
    expect(await readdir(parent)).toEqual([]);
    // The next call gets an empty /tmp: the file written before is gone.
    await expect(rt.call("3:scratch.txt", { funcName: "read", tempDir: parent })).rejects.toMatchObject({
      message: 'plugin "scratch" failed: errno 44', // ENOENT
    });
    expect(await readdir(parent)).toEqual([]);
  });
});

describe("env and stdio", () => {
  test("stdin is wired when granted (cli/v1 gets the user's terminal)", async () => {
    const inFile = join(dir, "stdin.txt");
    await writeFile(inFile, "typed by the user\n");
    const stdin = openSync(inFile, "r");
    try {
      const rt = await openExtismModule(wasiWasm, { name: "listener", stdio: { stdin } });
      expect(text(await rt.call("", { funcName: "cat" }))).toBe("typed by the user\n");
    } finally {
      closeSync(stdin);
    }
    const deaf = await openExtismModule(wasiWasm, { name: "listener" });
    expect(text(await deaf.call("", { funcName: "cat" }))).toBe("");
  });

  test("proc_exit ends the call: 0 keeps the output, non-zero is a plugin error", async () => {
    const rt = await openExtismModule(wasiWasm, { name: "quitter" });
    expect(text(await rt.call("", { funcName: "exit0" }))).toBe("ok");
    await expect(rt.call("", { funcName: "exit3" })).rejects.toMatchObject({
      code: "plugin-error",
      message: 'plugin "quitter" exited with status 3',
    });
    expect(text(await rt.call("", { funcName: "exit0" }))).toBe("ok");
  });

  test("only allowlisted env vars are visible", async () => {
    const env = { CAPSTAN_OK: "visible", CAPSTAN_SECRET: "hidden", HOME: "/home/x" };
    const rt = await openExtismModule(wasiWasm, { name: "envy", env: ["CAPSTAN_OK", "NOT_SET"] }, { env });
    expect(
      text(await rt.call("", { funcName: "env" }))
        .split("\0")
        .filter(Boolean),
    ).toEqual(["CAPSTAN_OK=visible"]);
    const none = await openExtismModule(wasiWasm, { name: "envy" }, { env });
    expect(text(await none.call("", { funcName: "env" }))).toBe("");
  });

  test("stdio goes where the policy says; the default is nowhere", async () => {
    const outFile = join(dir, "stdout.txt");
    const errFile = join(dir, "stderr.txt");
    const stdout = openSync(outFile, "w");
    const stderr = openSync(errFile, "w");
    try {
      const rt = await openExtismModule(wasiWasm, { name: "talker", stdio: { stdout, stderr } });
      expect(text(await rt.call("", { funcName: "stdio" }))).toBe("ok");
    } finally {
      closeSync(stdout);
      closeSync(stderr);
    }
    expect(readFileSync(outFile, "utf8")).toBe("hello from wasi\n");
    expect(readFileSync(errFile, "utf8")).toBe("to stderr\n");
    const quiet = await openExtismModule(wasiWasm, { name: "talker" });
    expect(quiet.policy.stdio).toBe("null");
    expect(text(await quiet.call("", { funcName: "stdio" }))).toBe("ok");
  });
});
