// The extism/v1 runtime against real Wasm (WAT fixtures using the real kernel imports):
// echo, JSON, errors, config, vars, logging, link errors and the compile cache.
import { copyFile, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExtismRuntime, openExtismModule, RuntimeError } from "@capstan/host";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let kernelWasm: string;
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-extism-kernel-"));
  kernelWasm = await assembleWat("kernel", dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("calls", () => {
  test("echo returns the input bytes (default entry helm_plugin_main)", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "echo" });
    expect(text(await rt.call("hello, plugin"))).toBe("hello, plugin");
    expect(text(await rt.call(new Uint8Array([0xe2, 0x82, 0xac, 0x21])))).toBe("€!");
    expect((await rt.call("")).length).toBe(0);
    await rt.close();
  });

  test("JSON round trip keeps unicode, escapes and nesting", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "json" });
    const value = {
      extraArgs: ["--flag", "ünïcødé ✓", 'quote " and \\ back'],
      nested: { n: 1.5, ok: true, nil: null },
    };
    const out = await rt.call(JSON.stringify(value), { funcName: "echo" });
    expect(JSON.parse(text(out))).toEqual(value);
  });

  test("a plugin error carries the plugin's message", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "failing" });
    const err = (await rt.call("", { funcName: "fail" }).catch((e) => e)) as RuntimeError;
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.code).toBe("plugin-error");
    expect(err.exitCode).toBe(6);
    expect(err.message).toBe('plugin "failing" failed: something went wrong');
    const coded = (await rt.call("", { funcName: "fail_code" }).catch((e) => e)) as RuntimeError;
    expect(coded.code).toBe("plugin-error");
    expect(coded.message).toBe('plugin "failing" failed: fail_code returned 7');
  });

  test("a missing export is an entry error naming it", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "p", entryFuncName: "nope" });
    await expect(rt.call("")).rejects.toMatchObject({
      code: "entry",
      message: expect.stringContaining('does not export a function "nope"'),
    });
  });

  test("a closed runtime refuses calls", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "p" });
    await rt.close();
    await expect(rt.call("x")).rejects.toMatchObject({ code: "closed" });
  });
});

describe("a fresh instance per call", () => {
  // Inline calls reuse memory pages from a pool (extism/memory-pool.ts); every call must still
  // see exactly what a fresh memory holds: initial size, zeros, the original data segments.
  const fresh = [4, 0, ..."some"].flatMap((v, i) =>
    typeof v === "number" ? (i === 0 ? [4, 0, 0, 0] : [0, 0, 0, 0]) : [v.charCodeAt(0)],
  );

  test.each(["inline", "worker"] as const)("no memory survives between calls (%s)", async (isolation) => {
    const rt = await openExtismModule(kernelWasm, { name: "fresh" }, { isolation });
    try {
      for (let i = 0; i < 3; i++) expect([...(await rt.call("", { funcName: "scribble" }))]).toEqual(fresh);
      // A call that grew memory and wrote into the new page: the next call starts at 4 pages again.
      await rt.call("", { funcName: "grow_once" });
      expect([...(await rt.call("", { funcName: "scribble" }))]).toEqual(fresh);
      // A trap mid-call leaves nothing behind either.
      await expect(rt.call("", { funcName: "trap" })).rejects.toMatchObject({ code: "trap" });
      expect([...(await rt.call("", { funcName: "scribble" }))]).toEqual(fresh);
    } finally {
      await rt.close();
    }
  });

  test("two runtimes of one module, calls interleaved, do not share memory", async () => {
    const a = await openExtismModule(kernelWasm, { name: "a" });
    const b = await openExtismModule(kernelWasm, { name: "b" });
    const [x, y] = await Promise.all([
      a.call("", { funcName: "scribble" }),
      b.call("", { funcName: "scribble" }),
    ]);
    expect([...x]).toEqual(fresh);
    expect([...y]).toEqual(fresh);
    expect([...(await a.call("", { funcName: "scribble" }))]).toEqual(fresh);
  });
});

describe("config and vars", () => {
  test("config_get sees runtimeConfig.config and nothing else", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "cfg", config: { greeting: "hej", empty: "" } });
    expect(text(await rt.call("greeting", { funcName: "config" }))).toBe("hej");
    expect(text(await rt.call("missing", { funcName: "config" }))).toBe("<unset>");
    expect(text(await rt.call("HOME", { funcName: "config" }))).toBe("<unset>");
  });

  test("vars persist across calls of one runtime (fresh instance each call), not across runtimes", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "vars" });
    const count = async (r: ExtismRuntime) =>
      Buffer.from(await r.call("", { funcName: "counter" })).readBigUInt64LE(0);
    expect(await count(rt)).toBe(1n);
    expect(await count(rt)).toBe(2n);
    expect(await count(rt)).toBe(3n);
    expect(rt.vars.get("count")?.length).toBe(8);
    await rt.call("", { funcName: "var_clear" });
    expect(rt.vars.has("count")).toBe(false);
    expect(await count(rt)).toBe(1n);
    const other = await openExtismModule(kernelWasm, { name: "vars2" });
    expect(await count(other)).toBe(1n);
  });

  test("maxVarBytes stops a var that is too large (names count too)", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "greedy", maxVarBytes: 64 });
    // var_fill stores the input under the name "big": 3 + 61 bytes fit, 3 + 62 do not.
    expect(text(await rt.call("x".repeat(61), { funcName: "var_fill" }))).toBe("ok");
    const err = (await rt.call("x".repeat(62), { funcName: "var_fill" }).catch((e) => e)) as RuntimeError;
    expect(err.code).toBe("memory");
    expect(err.exitCode).toBe(8);
    expect(err.message).toContain(
      'var "big" would bring the plugin\'s vars to 65 bytes, over the limit of 64',
    );
    expect(err.hint).toContain("maxVarBytes");
  });
});

describe("logging", () => {
  test("debug shows every level; the default shows warn and error; get_log_level follows", async () => {
    const lines: string[] = [];
    const log = (level: string, message: string) => lines.push(`${level}:${message}`);
    const debug = await openExtismModule(kernelWasm, { name: "logger" }, { debug: true, log });
    expect(text(await debug.call("", { funcName: "log" }))).toBe("0");
    expect(lines).toEqual([
      "trace:trace message",
      "debug:debug message",
      "info:info message",
      "warn:warn message",
      "error:error message",
    ]);
    lines.length = 0;
    const quiet = await openExtismModule(kernelWasm, { name: "logger" }, { log });
    expect(text(await quiet.call("", { funcName: "log" }))).toBe("3");
    expect(lines).toEqual(["warn:warn message", "error:error message"]);
    lines.length = 0;
    const info = await openExtismModule(kernelWasm, { name: "logger" }, { log, logLevel: "info" });
    expect(text(await info.call("", { funcName: "log" }))).toBe("2");
    expect(lines).toEqual(["info:info message", "warn:warn message", "error:error message"]);
  });
});

describe("terminal safety", () => {
  test("the default log sink escapes control sequences in the plugin's name and lines", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "evil\x1b]0;owned\x07" });
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) =>
      written.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      await rt.call("", { funcName: "log" });
    } finally {
      process.stderr.write = original;
    }
    expect(written).toEqual([
      "evil\\u001b]0;owned\\u0007: warn: warn message\n",
      "evil\\u001b]0;owned\\u0007: error: error message\n",
    ]);
  });

  test("an HTTP method that is not a token is refused before any request, and shown escaped", async () => {
    const rt = await openExtismModule(kernelWasm, { name: "fetcher", allowedHosts: ["*"] });
    const req = JSON.stringify({ url: "http://127.0.0.1:9/", method: "GET\x1b]52;c;eA==\x07", headers: {} });
    await expect(rt.call(req, { funcName: "http" })).rejects.toMatchObject({
      code: "http",
      message: expect.stringContaining('http_request: "GET\\u001b]52;C;EA==\\u0007" is not an HTTP method'),
    });
  });
});

describe("linking", () => {
  test("an unknown kernel import fails to load, naming module, name and plugin", async () => {
    const wasm = await assembleWat("missing-import", dir);
    const err = (await openExtismModule(wasm, { name: "teleporter" }).catch((e) => e)) as RuntimeError;
    expect(err.code).toBe("link");
    expect(err.message).toContain('plugin "teleporter"');
    expect(err.message).toContain('imports "extism:host/env"."teleport"');
    expect(err.message).toContain("not part of the Extism kernel ABI");
  });

  test("an import from an unknown module fails to load, naming it", async () => {
    const wasm = await assembleWat("foreign-module", dir);
    await expect(openExtismModule(wasm, { name: "foreign" })).rejects.toMatchObject({
      code: "link",
      message: expect.stringContaining(
        'imports "env"."abort", which the host does not provide: Capstan provides no module "env"',
      ),
    });
  });

  test("a missing plugin.wasm is reported as unreadable", async () => {
    await expect(openExtismModule(join(dir, "kernel.wat.missing"), { name: "ghost" })).rejects.toMatchObject({
      code: "invalid-wasm",
      message: expect.stringContaining('plugin "ghost": cannot read'),
    });
  });

  test("a plugin.wasm that is not Wasm, or a truncated module, is reported with the reason", async () => {
    const junk = join(dir, "junk.wasm");
    await writeFile(junk, "#!/bin/sh\necho not wasm\n");
    await expect(openExtismModule(junk, { name: "junk" })).rejects.toMatchObject({
      code: "invalid-wasm",
      message: `plugin "junk": ${junk} is not a valid Wasm module: not a WebAssembly binary (bad magic)`,
      hint: "rebuild plugin.wasm",
    });
    const whole = await readFile(kernelWasm);
    const cut = join(dir, "cut.wasm");
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const err = (await openExtismModule(cut, { name: "cut" }).catch((e) => e)) as RuntimeError;
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err).toMatchObject({ code: "invalid-wasm", hint: "rebuild plugin.wasm" });
    // The reason after the colon is V8's (its wording varies across Node versions).
    expect(err.message.startsWith(`plugin "cut": ${cut} is not a valid Wasm module: `)).toBe(true);
    expect(err.message).toMatch(/extends past end of the module|truncated|unexpected end/);
  });

  test("the module is compiled once and shared", async () => {
    const a = await openExtismModule(kernelWasm, { name: "a" });
    const b = await openExtismModule(kernelWasm, { name: "b" });
    expect(a.module).toBe(b.module);
    const capped = await openExtismModule(kernelWasm, { name: "c", maxPages: 100 });
    expect(capped.module).not.toBe(a.module);
  });

  test("a changed plugin.wasm is compiled again", async () => {
    const copy = join(dir, "changing.wasm");
    await copyFile(kernelWasm, copy);
    const before = await openExtismModule(copy, { name: "v1" });
    await writeFile(copy, Buffer.concat([await readFile(kernelWasm), Buffer.from([0, 2, 1, 0x78])])); // + empty custom section "x"
    await utimes(copy, new Date(), new Date(Date.now() + 5000));
    const after = await openExtismModule(copy, { name: "v2" });
    expect(after.module).not.toBe(before.module);
    expect(text(await after.call("still works"))).toBe("still works");
  });
});
