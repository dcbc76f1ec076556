// Type invokers (cli, getter, postrenderer) over subprocess (sh) and extism/v1 (WAT) plugins.
import { readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { LoadedPlugin } from "@capstan/manifest";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { resolveSettings } from "../src/helm-env.js";
import { httpGet } from "../src/invokers/getter-http.js";
import { getterOptions } from "../src/invokers/getter-options.js";
import { invokeCli } from "../src/invokers/invoke-cli.js";
import { getUrl, invokeGetter, schemeOf } from "../src/invokers/invoke-getter.js";
import { invokePostrenderers } from "../src/invokers/invoke-postrenderers.js";
import { assembleWat, watDir } from "./helpers/wat.js";
import { cmd, subprocessPlugin, tempDir } from "./subprocess-helpers.js";

const root = tempDir("capstan-invokers-");
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
const settings = resolveSettings({ HOME: root });
const opts = { settings, env };
let server: Server;
let base = "";

/** An extism/v1 plugin whose entry sets `output` (a JSON message) and returns 0. */
async function constantWasm(
  name: string,
  type: LoadedPlugin["manifest"]["type"],
  output: string,
): Promise<LoadedPlugin> {
  // B1's shared Extism imports and helpers ($output_mem) from test/fixtures/wat.
  const include = (n: string) => readFileSync(join(watDir, `${n}.inc.wat`), "utf8");
  const bytes = [...Buffer.from(output)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
  const text = [
    "(module",
    include("extism-imports"),
    include("extism-helpers"),
    '(memory (export "memory") 1)',
    `(data (i32.const 1024) "${bytes}")`,
    '(func (export "helm_plugin_main") (result i32)',
    `  (call $output_mem (i32.const 1024) (i32.const ${Buffer.byteLength(output)}))`,
    "  (i32.const 0)))",
  ].join("\n");
  const dir = join(root, name);
  await assembleWat("plugin", dir, text);
  const p = subprocessPlugin(root, name, {}, { type, runtime: "extism/v1" });
  return {
    ...p,
    manifest: {
      ...p.manifest,
      subprocess: undefined,
      ...(type === "getter/v1" ? { getter: { protocols: ["const"] } } : {}),
      extism: {
        entryFuncName: "helm_plugin_main",
        memory: {},
        config: {},
        allowedHosts: undefined,
        fileSystem: { createTempDir: false },
        timeout: undefined,
        hostFunctions: [],
        allowedPaths: {},
        env: [],
      },
    },
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/ok.txt") res.end(`ok ${req.headers.accept ?? ""}`);
    else if (req.url === "/stall") {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial"); // then nothing: a server hanging mid-body
    } else {
      res.statusCode = 500;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test("invokeCli: subprocess exit code and arguments; ignoreFlags drops them", async () => {
  const p = subprocessPlugin(root, "argc", {
    scripts: { "run.sh": 'echo "$#:$*" > "$HELM_PLUGIN_DIR/out"; exit 7' },
    platformCommand: [cmd("$HELM_PLUGIN_DIR/run.sh")],
  });
  expect(await invokeCli(p, ["a", "--b"], opts)).toBe(7);
  expect(readFileSync(join(p.dir, "out"), "utf8")).toBe("2:a --b\n");
  const quiet = { ...p, manifest: { ...p.manifest, cli: { ...p.manifest.cli!, ignoreFlags: true } } };
  await invokeCli(quiet, ["a", "--b"], opts);
  expect(readFileSync(join(p.dir, "out"), "utf8")).toBe("0:\n");
});

test("invokeCli: a Wasm plugin's output exitCode is the exit code; an invalid output is refused", async () => {
  expect(await invokeCli(await constantWasm("w-exit", "cli/v1", '{"exitCode":9}'), [], opts)).toBe(9);
  expect(await invokeCli(await constantWasm("w-zero", "cli/v1", "{}"), ["x"], opts)).toBe(0);
  await expect(
    invokeCli(await constantWasm("w-bad", "cli/v1", '{"exitCode":"no"}'), [], opts),
  ).rejects.toMatchObject({
    code: "invalid-message",
    exitCode: 3,
  });
});

test("invokePostrenderers chains subprocess and Wasm plugins in order; blank output is an error", async () => {
  const sed = subprocessPlugin(
    root,
    "sed",
    { platformCommand: [cmd("sed", ["s/a/b/"])] },
    { type: "postrenderer/v1", cli: undefined },
  );
  const wasm = await constantWasm("w-pr", "postrenderer/v1", '{"manifests":"kind: FromWasm\\n"}');
  expect(await invokePostrenderers([sed, sed], "aaa\n", [], opts)).toBe("bba\n");
  expect(await invokePostrenderers([sed, wasm], "aaa\n", [], opts)).toBe("kind: FromWasm\n");
  const blank = subprocessPlugin(
    root,
    "blank",
    { platformCommand: [cmd("sh", ["-c", "cat >/dev/null; echo"])] },
    { type: "postrenderer/v1", cli: undefined },
  );
  await expect(invokePostrenderers([sed, blank], "a\n", [], opts)).rejects.toMatchObject({
    code: "plugin-error",
    exitCode: 6,
  });
  const failing = subprocessPlugin(
    root,
    "failing",
    { platformCommand: [cmd("sh", ["-c", "exit 3"])] },
    { type: "postrenderer/v1", cli: undefined },
  );
  await expect(invokePostrenderers([failing], "a\n", [], opts)).rejects.toThrow(
    /post-renderer "failing" failed with exit code 3/,
  );
  const notPr = { ...sed, manifest: { ...sed.manifest, type: "cli/v1" as const } };
  await expect(invokePostrenderers([notPr], "a\n", [], opts)).rejects.toMatchObject({
    code: "wrong-plugin-type",
  });
});

test("httpGet: a server stalling mid-body times out without any Timeout set (idle timer)", async () => {
  await expect(httpGet(`${base}/stall`, getterOptions(`${base}/stall`), 200)).rejects.toMatchObject({
    code: "timeout",
    exitCode: 7,
    message: `GET ${base}/stall: timed out (no data for 200 ms)`,
  });
});

test("getUrl: built-in http cannot be taken over; other schemes go to the first matching getter", async () => {
  const legacy = subprocessPlugin(
    root,
    "getter-sh",
    {
      scripts: { "get.sh": 'printf "sh:%s" "$4"' },
      protocolCommands: [{ protocols: ["http", "s3"], platformCommand: [cmd("get.sh")] }],
    },
    { type: "getter/v1", getter: { protocols: ["http", "s3"] } },
  );
  const wasm = await constantWasm("w-get", "getter/v1", '{"data":"aGk="}');
  const text = async (b: Promise<Uint8Array>) => Buffer.from(await b).toString();
  expect(await text(getUrl(`${base}/ok.txt`, [legacy], { AcceptHeader: "text/plain" }, opts))).toBe(
    "ok text/plain",
  );
  expect(await text(getUrl("s3://b/k", [legacy, wasm], {}, opts))).toBe("sh:s3://b/k");
  expect(await text(getUrl("CONST://x", [legacy, wasm], {}, opts))).toBe("hi");
  expect(await text(invokeGetter(wasm, "const://x", {}, opts))).toBe("hi");
  await expect(getUrl("gs://b/k", [legacy, wasm], {}, opts)).rejects.toMatchObject({
    code: "no-getter",
    exitCode: 4,
  });
  await expect(getUrl(`${base}/missing`, [], {}, opts)).rejects.toMatchObject({ code: "http", exitCode: 1 });
  expect(() => schemeOf("no-scheme")).toThrow(/not a URL/);
});
