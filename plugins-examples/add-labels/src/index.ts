// The plugin entry: Helm's postrenderer/v1 message in, transformed manifests out. All logic
// lives in src/core (plain TypeScript, tested in Node); this file only wires it to the PDK.
import { definePostrenderer } from "@capstan/pdk";
import { parseOptions } from "./core/options.js";
import { transformManifests } from "./core/transform.js";

export const helm_plugin_main = definePostrenderer(({ manifests, extraArgs, manifestsMissing }) => {
  if (manifestsMissing) {
    throw new Error(
      "add-labels: the host sent no manifests (Helm 4.2 bug, helm issue 31832); run it with Capstan or a fixed Helm",
    );
  }
  const opts = parseOptions(extraArgs, (key) => Config.get(key));
  const { manifests: out, stats } = transformManifests(manifests, opts);
  console.info(
    `add-labels: ${stats.changed} of ${stats.documents} documents changed, ${stats.images} images rewritten`,
  );
  return out;
});
