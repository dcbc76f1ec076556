// extism/v1 plugins through the CLI (cli, getter, postrenderer), assembled from WAT fixtures.

import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat, capstan, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

let home: Home;
const v1 = (name: string, type: string, extra = "") =>
  `apiVersion: v1\nname: ${name}\nversion: 0.1.0\ntype: ${type}\nruntime: extism/v1\n${extra}`;

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  const [cli, getter, postrenderer] = await Promise.all(["cli", "getter", "postrenderer"].map(assembleWat));
  writePlugin(home, "wcli", v1("wcli", "cli/v1", "config:\n  shortHelp: echoes its input\n"), {
    "plugin.wasm": cli!,
  });
  writePlugin(home, "wquiet", v1("wquiet", "cli/v1", "config:\n  ignoreFlags: true\n"), {
    "plugin.wasm": cli!,
  });
  writePlugin(home, "wexit", v1("wexit", "cli/v1", "runtimeConfig:\n  entryFuncName: exit5\n"), {
    "plugin.wasm": cli!,
  });
  writePlugin(home, "wfail", v1("wfail", "cli/v1", "runtimeConfig:\n  entryFuncName: fail\n"), {
    "plugin.wasm": cli!,
  });
  writePlugin(home, "wnowasm", v1("wnowasm", "cli/v1"));
  writePlugin(home, "wcat", v1("wcat", "cli/v1", "runtimeConfig:\n  entryFuncName: cat\n"), {
    "plugin.wasm": cli!,
  });
  writePlugin(home, "wget", v1("wget", "getter/v1", "config:\n  protocols: [wasm, https]\n"), {
    "plugin.wasm": getter!,
  });
  writePlugin(home, "wpr", v1("wpr", "postrenderer/v1"), { "plugin.wasm": postrenderer! });
  writePlugin(
    home,
    "wenv",
    v1(
      "wenv",
      "cli/v1",
      "runtimeConfig:\n  entryFuncName: env\n  env: [KUBECONFIG, HELM_KUBECONTEXT, HELM_NAMESPACE]\n",
    ),
    { "plugin.wasm": cli! },
  );
  writePlugin(
    home,
    "sh-label",
    "apiVersion: v1\nname: sh-label\nversion: 1.0.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: sh\n      args: [-c, 'echo \"# sh $0\"; cat']\n",
  );
});
afterAll(() => home.remove());

test("a Wasm cli plugin gets the user's args as extraArgs and writes to the terminal", async () => {
  const r = await capstan(home, ["wcli", "a", "b c", "-n", "ns", "--flag"]);
  expect(r).toEqual({ code: 0, stdout: 'wasm cli got: {"extraArgs":["a","b c","--flag"]}\n', stderr: "" });
  expect((await capstan(home, ["--help"])).stdout).toMatch(/ {2}wcli +echoes its input/);
});

test("--kubeconfig, --kube-context and -n reach an allowlisting Wasm plugin; the flags win over the environment", async () => {
  const flags = ["--kubeconfig", "/flag/kubeconfig", "--kube-context", "flag-ctx", "-n", "flag-ns"];
  const env = { KUBECONFIG: "/env/kubeconfig", HELM_KUBECONTEXT: "env-ctx", HELM_NAMESPACE: "env-ns" };
  expect(await capstan(home, ["wenv", ...flags], { env })).toEqual({
    code: 0,
    stdout: "KUBECONFIG=/flag/kubeconfig\nHELM_KUBECONTEXT=flag-ctx\nHELM_NAMESPACE=flag-ns\n",
    stderr: "",
  });
  // Without the flags the user's environment is what the plugin sees.
  expect((await capstan(home, ["wenv"], { env })).stdout).toBe(
    "KUBECONFIG=/env/kubeconfig\nHELM_KUBECONTEXT=env-ctx\nHELM_NAMESPACE=env-ns\n",
  );
});

test("ignoreFlags sends empty extraArgs", async () => {
  expect((await capstan(home, ["wquiet", "a", "--b"])).stdout).toBe('wasm cli got: {"extraArgs":[]}\n');
});

test("the output's exitCode is the command's exit code", async () => {
  expect(await capstan(home, ["wexit"])).toEqual({ code: 5, stdout: "", stderr: "" });
});

test("a failing Wasm plugin exits 6 with its error message; a missing plugin.wasm is reported", async () => {
  const r = await capstan(home, ["wfail"]);
  expect(r.code).toBe(6);
  expect(r.stderr).toMatch(/^error: plugin "wfail" failed: something broke\n/);
  const missing = await capstan(home, ["wnowasm"]);
  expect(missing.code).toBe(6);
  expect(missing.stderr).toMatch(/^error: .*plugin\.wasm/);
  expect(missing.stderr).toMatch(/\nhint: .*`capstan plugin build`/);
  expect(missing.stderr).not.toContain("capstan-js");
});

test("plugin list flags a plugin without plugin.wasm (STATE missing-wasm) in every output format", async () => {
  const table = await capstan(home, ["plugin", "list"]);
  expect(table.code).toBe(0);
  const header = table.stdout.split("\n")[0]!;
  expect(header).toMatch(/ SOURCE +STATE$/);
  const row = (name: string) => table.stdout.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";
  expect(row("wnowasm")).toMatch(/ missing-wasm$/);
  expect(row("wcli")).toMatch(/ ok$/);
  const json = await capstan(home, ["plugin", "list", "-o", "json"]);
  expect(json.code).toBe(0);
  const rows = JSON.parse(json.stdout) as { name: string; state: string; provenance: string }[];
  expect(rows.find((r) => r.name === "wnowasm")).toMatchObject({
    state: "missing-wasm",
    provenance: "unsigned",
  });
  expect(rows.find((r) => r.name === "wcli")).toMatchObject({
    name: "wcli",
    version: "0.1.0",
    type: "cli/v1",
    apiVersion: "v1",
    source: "unknown",
    state: "ok",
  });
  const yaml = await capstan(home, ["plugin", "list", "--output=yaml", "--type", "cli"]);
  expect(yaml.code).toBe(0);
  expect(yaml.stdout).toMatch(/^- name: wcli\n/m);
  expect(yaml.stdout).toMatch(/^ {2}state: missing-wasm$/m);
  expect(yaml.stdout).not.toContain("name: wget");
  // Installing a directory without plugin.wasm is refused, naming the command that builds it.
  const unbuilt = join(home.root, "unbuilt");
  mkdirSync(unbuilt, { recursive: true });
  writeFileSync(join(unbuilt, "plugin.yaml"), v1("unbuilt", "cli/v1"));
  const install = await capstan(home, ["plugin", "install", unbuilt]);
  expect(install.code).toBe(1);
  expect(install.stderr).toMatch(/^error: .*plugin unbuilt has runtime extism\/v1 but no plugin\.wasm/);
  expect(install.stderr).toContain("hint: build it with `capstan plugin build`");
  expect((await capstan(home, ["plugin", "list"])).stdout).not.toMatch(/^unbuilt /m);
  const bad = await capstan(home, ["plugin", "list", "-o", "xml"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('unknown output format "xml" (use table, json, yaml)');
});

test("a Wasm getter gets the getter/v1 message (every Go-style option) and returns base64 data", async () => {
  const r = await capstan(home, [
    "pull",
    "wasm://bucket/app-1.0.0.tgz",
    "-o",
    "-",
    "--version",
    "1.0.0",
    "--timeout",
    "90s",
  ]);
  expect(r.code).toBe(0);
  const message = JSON.parse(r.stdout);
  expect(message).toEqual({
    href: "wasm://bucket/app-1.0.0.tgz",
    protocol: "wasm",
    options: {
      URL: "wasm://bucket/app-1.0.0.tgz",
      CertFile: "",
      KeyFile: "",
      CAFile: "",
      UNTar: false,
      InsecureSkipVerifyTLS: false,
      PlainHTTP: false,
      AcceptHeader: "",
      Username: "",
      Password: "",
      PassCredentialsAll: false,
      UserAgent: "",
      Version: "1.0.0",
      Timeout: 90_000_000_000,
    },
  });
});

test("a plugin cannot take over https: the built-in getter answers", async () => {
  const r = await capstan(home, ["pull", "https://127.0.0.1:1/x.tgz", "-o", "-"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: GET https:\/\/127\.0\.0\.1:1\/x\.tgz: /);
});

test("Wasm and subprocess post-renderers chain in the order given", async () => {
  const input = 'kind: ConfigMap\nmetadata:\n  name: "q\\"uoted"\n';
  const a = await capstan(home, ["postrender", "wpr", "sh-label"], { input });
  expect(a).toEqual({ code: 0, stdout: `# sh sh\n# post-rendered by wasm\n${input}`, stderr: "" });
  const b = await capstan(home, ["postrender", "sh-label", "wpr"], { input });
  expect(b.stdout).toBe(`# post-rendered by wasm\n# sh sh\n${input}`);
});

test("a Wasm cli plugin reads the user's stdin and writes to stdout and stderr", async () => {
  const r = await capstan(home, ["wcat"], { input: "line one\nline two\n" });
  expect(r).toEqual({ code: 0, stdout: "line one\nline two\n", stderr: "to stderr\n" });
});

test("a Wasm plugin's HTTP request goes through the bundle's HTTP bridge; a host not allowed exits 8", async () => {
  const server = createServer((req, res) => res.end(`served ${req.method} ${req.url}\n`));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chart`;
    const http = await assembleWat("http");
    const yaml = (hosts: string) =>
      v1(
        "whttp",
        "cli/v1",
        `runtimeConfig:\n  allowedHosts: ${hosts}\n  config:\n    request: '{"url": "${url}"}'\n`,
      );
    writePlugin(home, "whttp", yaml("[127.0.0.1]"), { "plugin.wasm": http });
    expect(await capstan(home, ["whttp"])).toEqual({ code: 0, stdout: "served GET /chart\n", stderr: "" });
    writePlugin(home, "whttp", yaml("[]"), { "plugin.wasm": http });
    const denied = await capstan(home, ["whttp"]);
    expect(denied.code).toBe(8);
    expect(denied.stderr).toMatch(/^error: .*"127\.0\.0\.1".*allowedHosts/m);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
