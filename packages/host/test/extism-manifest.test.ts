// ExtismRuntime.open on installed-style plugin directories (plugin.yaml + plugin.wasm loaded by
// @capstan/manifest), and the host-function registry with its capability gate.
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ExtismRuntime,
  hostFunctionRegistry,
  openExtismModule,
  policyFromManifest,
  type RuntimeError,
} from "@capstan/host";
import { loadManifest } from "@capstan/manifest";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let hostFnWasm: string;
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

/** Writes a plugin directory with `yaml` and the assembled fixture `wat` as plugin.wasm. */
async function pluginDir(name: string, yaml: string, wat: string): Promise<string> {
  const p = join(dir, name);
  await mkdir(p, { recursive: true });
  await writeFile(join(p, "plugin.yaml"), yaml);
  await assembleWat(wat, p);
  await rename(join(p, `${wat}.wasm`), join(p, "plugin.wasm"));
  return p;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-extism-manifest-"));
  hostFnWasm = await assembleWat("host-functions", dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("open from plugin.yaml", () => {
  test("runtimeConfig becomes the sandbox policy; cli/v1 gets the terminal, others no stdio", async () => {
    const p = await pluginDir(
      "greeter",
      `apiVersion: v1
name: greeter
version: 1.2.3
type: cli/v1
runtime: extism/v1
runtimeConfig:
  entryFuncName: config
  timeout: 1500
  memory:
    maxPages: 100
    maxVarBytes: 2048
  config:
    greeting: hello from plugin.yaml
  allowedHosts: ["*.example.com"]
  allowedPaths:
    data: /data
    out: /out:rw
  fileSystem:
    createTempDir: true
  env: [LANG]
`,
      "kernel",
    );
    await mkdir(join(p, "data"));
    await mkdir(join(p, "out"));
    const loaded = await loadManifest(p);
    const policy = policyFromManifest(loaded);
    expect(policy).toMatchObject({
      name: "greeter",
      entryFuncName: "config",
      timeoutMs: 1500,
      maxPages: 100,
      maxVarBytes: 2048,
      allowedHosts: ["*.example.com"],
      createTempDir: true,
      env: ["LANG"],
      stdio: "inherit",
    });
    expect(policy.allowedPaths).toEqual([
      { hostPath: join(p, "data"), guestPath: "/data", writable: false },
      { hostPath: join(p, "out"), guestPath: "/out", writable: true },
    ]);
    const rt = await ExtismRuntime.open(loaded);
    expect(rt.wasmPath).toBe(join(p, "plugin.wasm"));
    expect(text(await rt.call("greeting"))).toBe("hello from plugin.yaml");
    await rt.close();
  });

  test("getter and postrenderer plugins get no stdio; a subprocess plugin is refused", async () => {
    const p = await pluginDir(
      "fetchy",
      "apiVersion: v1\nname: fetchy\nversion: 0.1.0\ntype: getter/v1\nruntime: extism/v1\nconfig:\n  protocols: [fetchy]\n",
      "kernel",
    );
    expect(policyFromManifest(await loadManifest(p)).stdio).toBe("null");
    const s = join(dir, "subproc");
    await mkdir(s);
    await writeFile(
      join(s, "plugin.yaml"),
      "apiVersion: v1\nname: subproc\nversion: 0.1.0\ntype: cli/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: echo\n",
    );
    await expect(ExtismRuntime.open(await loadManifest(s))).rejects.toMatchObject({
      code: "link",
      message: expect.stringContaining('has runtime "subprocess", not extism/v1'),
    });
  });

  test("a relative allowedPaths entry that a symlink leads out of the plugin directory is refused", async () => {
    const p = await pluginDir(
      "linky",
      "apiVersion: v1\nname: linky\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\nruntimeConfig:\n  allowedPaths:\n    data: /data\n",
      "kernel",
    );
    await symlink(tmpdir(), join(p, "data"));
    await expect(ExtismRuntime.open(await loadManifest(p))).rejects.toMatchObject({
      code: "config",
      message: expect.stringContaining(
        `plugin "linky": runtimeConfig.allowedPaths: ${join(p, "data")} leads outside the plugin directory`,
      ),
    });
  });

  test("a missing plugin.wasm is reported with its path", async () => {
    const p = join(dir, "hollow");
    await mkdir(p);
    await writeFile(
      join(p, "plugin.yaml"),
      "apiVersion: v1\nname: hollow\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n",
    );
    await expect(ExtismRuntime.open(await loadManifest(p))).rejects.toMatchObject({
      code: "invalid-wasm",
      message: expect.stringContaining(`plugin "hollow": cannot read ${join(p, "plugin.wasm")}`),
    });
  });
});

describe("host functions", () => {
  const granted = ["capstan_yaml_parse", "capstan_host_info"];

  test("the registry holds the documented functions", () => {
    expect([...hostFunctionRegistry.keys()].sort()).toEqual([
      "capstan_host_info",
      "capstan_yaml_parse",
      "capstan_yaml_stringify",
    ]);
  });

  test("capstan_yaml_parse turns multi-document YAML into JSON values", async () => {
    const rt = await openExtismModule(hostFnWasm, { name: "yamler", hostFunctions: granted });
    const yaml = "kind: ConfigMap\nmetadata:\n  name: a\n---\nkind: Secret\nlist: [1, 2]\n";
    const reply = JSON.parse(text(await rt.call(JSON.stringify({ yaml }), { funcName: "yaml" })));
    expect(reply).toEqual({
      result: [
        { kind: "ConfigMap", metadata: { name: "a" } },
        { kind: "Secret", list: [1, 2] },
      ],
      error: null,
    });
  });

  test("errors come back in the JSON block, not as a crash", async () => {
    const rt = await openExtismModule(hostFnWasm, { name: "yamler", hostFunctions: granted });
    const bad = JSON.parse(text(await rt.call(JSON.stringify({ yaml: "a: [1, 2" }), { funcName: "yaml" })));
    expect(bad.result).toBeNull();
    expect(bad.error).toMatch(/^capstan_yaml_parse: document 1: /);
    const wrong = JSON.parse(text(await rt.call(JSON.stringify({ text: "x" }), { funcName: "yaml" })));
    expect(wrong).toEqual({ result: null, error: 'capstan_yaml_parse: input must be {"yaml": string}' });
    const notJson = JSON.parse(text(await rt.call("{not json", { funcName: "yaml" })));
    expect(notJson.error).toMatch(/^capstan_yaml_parse: .*JSON/);
  });

  test("capstan_host_info describes the host", async () => {
    const rt = await openExtismModule(hostFnWasm, { name: "curious", hostFunctions: granted });
    const reply = JSON.parse(text(await rt.call("", { funcName: "info" })));
    expect(reply.error).toBeNull();
    expect(reply.result).toMatchObject({
      host: "capstan",
      helmCompat: "4",
      os: expect.any(String),
      arch: expect.any(String),
    });
  });

  test("importing a host function without listing it in hostFunctions is refused at load", async () => {
    const err = (await openExtismModule(hostFnWasm, {
      name: "greedy",
      hostFunctions: ["capstan_host_info"],
    }).catch((e) => e)) as RuntimeError;
    expect(err.code).toBe("capability");
    expect(err.exitCode).toBe(8);
    expect(err.message).toContain(
      'imports host function "capstan_yaml_parse" but does not list it in runtimeConfig.hostFunctions',
    );
    expect(err.hint).toBe(
      'add "capstan_yaml_parse" to runtimeConfig.hostFunctions in plugin.yaml if the plugin should use it',
    );
  });

  test("importing a host function that does not exist fails to load, naming it", async () => {
    const wasm = await assembleWat("unknown-host-function", dir);
    await expect(openExtismModule(wasm, { name: "warlike", hostFunctions: [] })).rejects.toMatchObject({
      code: "link",
      message: expect.stringContaining(
        'imports "extism:host/user"."capstan_launch_missiles", which the host does not provide',
      ),
    });
  });

  test("listing a host function that does not exist fails to load, naming it", async () => {
    await expect(
      openExtismModule(hostFnWasm, { name: "hopeful", hostFunctions: [...granted, "kubernetes_secrets"] }),
    ).rejects.toMatchObject({
      code: "link",
      message: expect.stringContaining(
        'asks for host function "kubernetes_secrets" (runtimeConfig.hostFunctions), which Capstan does not provide',
      ),
    });
  });
});
