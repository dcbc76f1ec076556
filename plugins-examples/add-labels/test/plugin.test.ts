// The compiled plugin: src/ built to plugin.wasm by `capstan plugin build` (buildPlugin), then
// run through @capstan/host exactly as `capstan postrender add-labels` runs it.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPluginIfStale } from "@capstan/compiler";
import { ExtismRuntime, invokePostrenderer } from "@capstan/host";
import { type LoadedPlugin, loadManifest } from "@capstan/manifest";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { parseOptions } from "../src/core/options.js";
import { transformManifests } from "../src/core/transform.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = readFileSync(join(dir, "test", "fixtures", "web.yaml"), "utf8");
let plugin: LoadedPlugin;

beforeAll(async () => {
  await buildPluginIfStale(dir, { skipOpt: true });
  plugin = await loadManifest(dir);
}, 120_000);

describe("add-labels as Wasm", () => {
  test("gives the same output as the core transform in Node (config defaults + args)", async () => {
    const args = ["--label", "team=payments", "--registry", "docker.io=mirror.local"];
    const out = await invokePostrenderer(plugin, web, args);
    const config = (k: string) => (k === "labels" ? "app.kubernetes.io/managed-by=capstan" : undefined);
    expect(out).toBe(transformManifests(web, parseOptions(args, config)).manifests);
    expect(out).toContain("app.kubernetes.io/managed-by: capstan");
    expect(out).toContain("image: mirror.local/library/nginx:1.25   # pinned on purpose\n");
  });

  test("a bad argument fails the call with the plugin's message", async () => {
    await expect(invokePostrenderer(plugin, web, ["--label", "bad key=x"])).rejects.toThrow(
      /label key "bad key"/,
    );
  });

  test("handles 1,000 resources (the 5,000-resource run is in tools/bench)", async () => {
    const many = Array.from(
      { length: 1000 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v\n`,
    ).join("---\n");
    const out = await invokePostrenderer(plugin, many, ["--label", "a=b"]);
    expect(out.match(/ a: b/g)?.length).toBe(1000);
  });

  test("Helm 4.2's message shape ({manifests: {}}, helm issue 31832) fails with an explanation", async () => {
    const rt = await ExtismRuntime.open(plugin, { logLevel: "off" });
    try {
      await expect(rt.call(JSON.stringify({ manifests: {}, extraArgs: null }))).rejects.toThrow(
        /helm issue 31832/,
      );
      // The same raw call with Capstan's shape works (extraArgs null, as Go sends an empty list).
      const out = await rt.call(JSON.stringify({ manifests: web, extraArgs: null }));
      expect(JSON.parse(new TextDecoder().decode(out)).manifests).toContain(
        "app.kubernetes.io/managed-by: capstan",
      );
    } finally {
      await rt.close();
    }
  });
});
