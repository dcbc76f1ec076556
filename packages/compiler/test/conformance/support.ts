// Conformance-suite support: compile a fixture plugin once per test file (real compiler, real
// PDK prelude, real engine) and run it through both hosts: @capstan/host's ExtismRuntime and
// the Extism JS SDK (@extism/extism).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ExtismOpenOptions, type ExtismPolicyInput, ExtismRuntime } from "@capstan/host";
import type { createPlugin } from "@extism/extism";
import { compile } from "../../src/compile.js";
import { instantiate } from "../helpers.js";

const here = dirname(fileURLToPath(import.meta.url));

/** A compiled fixture: bytes and a file path (ExtismRuntime loads by path). */
export interface Built {
  wasm: Uint8Array;
  path: string;
  dir: string;
}

/** Compiles test/conformance/fixtures/<name>/index.{ts,js} with its plugin.d.ts. */
export async function buildFixture(name: string, entry = "index.js"): Promise<Built> {
  const fixture = join(here, "fixtures", name);
  const r = await compile({
    entry: join(fixture, entry),
    interfaceFile: join(fixture, "plugin.d.ts"),
    skipOpt: true,
  });
  const dir = mkdtempSync(join(tmpdir(), `capstan-conf-${name}-`));
  const path = join(dir, "plugin.wasm");
  writeFileSync(path, r.wasm);
  return { wasm: r.wasm, path, dir };
}

/** Removes a fixture's temp dir. */
export function cleanup(b: Built | undefined): void {
  if (b) rmSync(b.dir, { recursive: true, force: true });
}

type HostFns = Record<string, (ctx: unknown, ...args: never[]) => unknown>;

/** Options for an SDK plugin. */
export interface SdkOptions {
  config?: Record<string, string>;
  functions?: HostFns;
  logs?: string[];
  allowedHosts?: string[];
  runInWorker?: boolean;
}

/** A plugin instance of the Extism JS SDK. */
export type SdkPlugin = Awaited<ReturnType<typeof createPlugin>>;

/** Instantiates a plugin with @extism/extism (WASI on, logs captured as "level: msg"). */
export async function sdkPlugin(b: Built, o: SdkOptions = {}): Promise<SdkPlugin> {
  return instantiate(b.wasm, { ...o, worker: o.runInWorker });
}

/** Calls an SDK export; text output or the error message. */
export async function sdkCall(
  p: SdkPlugin,
  name: string,
  input: string | Uint8Array = "",
): Promise<{ ok: true; text: string; bytes: Uint8Array } | { ok: false; error: string }> {
  try {
    const out = await p.call(name, input);
    return {
      ok: true,
      text: out ? out.text() : "",
      bytes: out ? new Uint8Array(out.bytes()) : new Uint8Array(),
    };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** Opens a fixture with @capstan/host's ExtismRuntime; logs captured as "level: msg". */
export async function hostRuntime(
  b: Built,
  policy: ExtismPolicyInput = {},
  logs?: string[],
  opts: ExtismOpenOptions = {},
): Promise<ExtismRuntime> {
  return ExtismRuntime.openModule(
    b.path,
    { name: "conformance", ...policy },
    {
      logLevel: "trace",
      log: (level, msg) => logs?.push(`${level}: ${msg}`),
      ...opts,
    },
  );
}

/** Calls an ExtismRuntime export; text output or the error message. */
export async function hostCall(
  rt: ExtismRuntime,
  funcName: string,
  input: string | Uint8Array = "",
): Promise<{ ok: true; text: string; bytes: Uint8Array } | { ok: false; error: string }> {
  try {
    const bytes = await rt.call(input, { funcName });
    return { ok: true, text: new TextDecoder().decode(bytes), bytes };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

const SERVER = `
const http = require("node:http");
const s = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const seen = JSON.stringify({ method: req.method, url: req.url, body: Array.from(body), type: req.headers["content-type"] ?? null });
    if (req.url === "/binary") {
      res.writeHead(200, { "content-type": "application/octet-stream", "x-seen": seen });
      res.end(Buffer.from([0, 1, 128, 255, 0]));
    } else if (req.url === "/json") {
      res.writeHead(201, { "content-type": "application/json", "x-seen": seen });
      res.end(JSON.stringify({ got: JSON.parse(body.toString() || "null") }));
    } else {
      res.writeHead(404, { "content-type": "text/plain", "x-seen": seen });
      res.end("nope: é");
    }
  });
});
s.listen(0, "127.0.0.1", () => process.stdout.write(String(s.address().port) + "\\n"));
`;

/** A test HTTP server in a child process (the hosts block the main thread during a call, so an
 *  in-process server could never answer). Responses carry what the server saw in `x-seen`. */
export async function startServer(): Promise<{ base: string; close: () => void }> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("error", reject);
  });
  return { base: `http://127.0.0.1:${port}`, close: () => child.kill() };
}
