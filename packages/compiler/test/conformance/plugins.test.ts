// Conformance: an npm dependency (yaml) bundled and used; a plugin written for the Extism JS
// PDK (CommonJS, globals only) compiles and runs unchanged; the typed helpers with both
// postrenderer input shapes, getter bytes, CLI exit codes and rejected handlers.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type Built, buildFixture, cleanup, hostCall, hostRuntime, sdkCall, sdkPlugin } from "./support.js";

let yamlDep: Built;
let jspdk: Built;
let helpers: Built;
let bare: Built;
beforeAll(async () => {
  [yamlDep, jspdk, helpers, bare] = await Promise.all([
    buildFixture("yaml-dep"),
    buildFixture("jspdk-style"),
    buildFixture("helpers"),
    buildFixture("bare-helper"),
  ]);
}, 120_000);
afterAll(() => {
  for (const b of [yamlDep, jspdk, helpers, bare]) cleanup(b);
});

const manifests =
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  labels:\n    app: b\n";

test("an npm dependency (yaml) is bundled and used (both hosts)", async () => {
  const input = JSON.stringify({ manifests, extraArgs: ["team=web"] });
  const want = {
    manifests:
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    team: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  labels:\n    app: b\n    team: web\n",
  };
  const rt = await hostRuntime(yamlDep);
  const r = await hostCall(rt, "helm_plugin_main", input);
  expect(r.ok && JSON.parse(r.text)).toEqual(want);
  const p = await sdkPlugin(yamlDep);
  const s = await sdkCall(p, "helm_plugin_main", input);
  expect(s.ok && JSON.parse(s.text)).toEqual(want);
  await p.close();
});

test("a plugin in Extism JS PDK style (CommonJS module.exports) runs unchanged", async () => {
  const p = await sdkPlugin(jspdk, { config: { greeting: "Howdy" } });
  expect(await sdkCall(p, "greet", "Ada")).toMatchObject({ ok: true, text: "Howdy, Ada!" });
  await sdkCall(p, "count");
  expect(await sdkCall(p, "count")).toMatchObject({ ok: true, text: '{"n":2}' });
  await p.close();
  const rt = await hostRuntime(jspdk);
  const r = await hostCall(
    rt,
    "helm_plugin_main",
    JSON.stringify({ manifests: "apiVersion: v1\n", extraArgs: [] }),
  );
  expect(r.ok && JSON.parse(r.text)).toEqual({ manifests: "apiVersion: v2\n" });
  expect(await hostCall(rt, "greet", "Bo")).toMatchObject({ ok: true, text: "Hello, Bo!" });
});

describe("typed helpers", () => {
  test("definePostrenderer: string manifests and Helm 4.2's {} shape (both hosts)", async () => {
    const rt = await hostRuntime(helpers);
    const a = await hostCall(
      rt,
      "helm_plugin_main",
      JSON.stringify({ manifests: "kind: Pod\n", extraArgs: [] }),
    );
    expect(a.ok && JSON.parse(a.text)).toEqual({ manifests: "kind: POD\n" });
    const b = await hostCall(rt, "helm_plugin_main", JSON.stringify({ manifests: {}, extraArgs: ["x"] }));
    expect(b.ok && JSON.parse(b.text)).toEqual({
      manifests: "# manifests missing (helm bug 31832); args=x\n",
    });
    const p = await sdkPlugin(helpers);
    const c = await sdkCall(p, "helm_plugin_main", JSON.stringify({ manifests: {}, extraArgs: null }));
    expect(c.ok && JSON.parse(c.text)).toEqual({
      manifests: "# manifests missing (helm bug 31832); args=\n",
    });
    await p.close();
  });
  test("defineGetter returns base64 data; defineCli passes exit codes and logs", async () => {
    const logs: string[] = [];
    const rt = await hostRuntime(helpers, {}, logs);
    const g = await hostCall(
      rt,
      "getter",
      JSON.stringify({ href: "s3://bucket/chart.tgz", protocol: "s3", options: {} }),
    );
    expect(g.ok && JSON.parse(g.text)).toEqual({ data: Buffer.from([2, 21, 0, 255]).toString("base64") });
    const c1 = await hostCall(rt, "cli", JSON.stringify({ extraArgs: ["a", "b"] }));
    expect(c1.ok && JSON.parse(c1.text)).toEqual({ data: { args: ["a", "b"] } });
    const c2 = await hostCall(rt, "cli", JSON.stringify({ extraArgs: ["fail"] }));
    expect(c2.ok && JSON.parse(c2.text)).toEqual({ exitCode: 4 });
    expect(logs).toContain("warn: args: a b");
  });
  test("a helper that is not exported still becomes helm_plugin_main", async () => {
    const rt = await hostRuntime(bare);
    const r = await hostCall(rt, "helm_plugin_main", JSON.stringify({ manifests: "a: 1\n", extraArgs: [] }));
    expect(r.ok && JSON.parse(r.text)).toEqual({ manifests: "a: 1\n# checked\n" });
  });
  test("defineGetter moves a 5 MiB payload (base64 in the engine)", async () => {
    const rt = await hostRuntime(helpers);
    const g = await hostCall(
      rt,
      "getter",
      JSON.stringify({ href: "s3://bucket/big", protocol: "s3", options: {} }),
    );
    expect(g.ok).toBe(true);
    const data = Buffer.from(g.ok ? (JSON.parse(g.text) as { data: string }).data : "", "base64");
    expect(data.length).toBe(5 * 1024 * 1024);
    expect(data.every((b, i) => b === ((i * 7) & 255))).toBe(true);
  });
  test("a rejected handler fails the call with its message", async () => {
    const rt = await hostRuntime(helpers);
    const r = await hostCall(rt, "failing", JSON.stringify({ manifests: "x", extraArgs: [] }));
    expect(!r.ok && r.error).toContain("Error: cannot render");
  });
});
