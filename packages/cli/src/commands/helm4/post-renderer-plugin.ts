// Helm 4 bridge - see docs/helm-bridges.md.
// `capstan helm4 post-renderer-plugin <plugin...> [-d dir] [--name n] [-- args]`: writes a Helm 4
// subprocess postrenderer/v1 plugin that runs Wasm post-renderers in Capstan. Helm 4 runs Wasm
// post-renderers itself, but 4.2 sends them `{"manifests": {}}` (helm issue 31832).
import {
  bridgeTarget,
  bridgeTargetOptions,
  pluginDirOptions,
  postRendererNames,
  preparePluginDir,
  warnMissingPostrenderers,
  writeBridgeFiles,
} from "../../bridge-target.js";
import { defineCommand } from "../../command.js";
import { UsageError } from "../../usage-error.js";

/** `capstan helm4 post-renderer-plugin` */
export const helm4PostRendererPluginCommand = defineCommand({
  name: "helm4 post-renderer-plugin",
  args: "<plugin...>",
  summary: "write a Helm 4 post-renderer plugin that runs Wasm post-renderers in Capstan",
  description:
    "Writes DIR/NAME/plugin.yaml (apiVersion v1, postrenderer/v1, subprocess) and\n" +
    "DIR/NAME/bin/capstan-postrender, running `capstan postrender <plugin>... --`\n" +
    "with the arguments after -- baked in before Helm's --post-renderer-args.\n" +
    "  helm plugin install DIR/NAME && helm install NAME CHART --post-renderer NAME\n" +
    "For Helm 4.2, which sends Wasm post-renderers no manifests (helm issue 31832).",
  options: [
    { flags: "--name <name>", description: "Helm plugin name (default: capstan-<first plugin>)" },
    ...pluginDirOptions,
    ...bridgeTargetOptions,
  ],
  async run([given], opts, ctx) {
    const plugins = postRendererNames(given, ctx, "helm4 post-renderer-plugin");
    const name = opts.name === undefined ? `capstan-${plugins[0]}` : String(opts.name);
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      throw new UsageError(`--name: "${name}" is not a valid plugin name`, "helm4 post-renderer-plugin");
    if (plugins.includes(name))
      throw new UsageError(
        `--name: "${name}" is also a plugin it runs; give the Helm plugin another name`,
        "helm4 post-renderer-plugin",
      );
    const dir = preparePluginDir(opts, name, "helm4 post-renderer-plugin");
    const { target, discovery } = await bridgeTarget(opts, ctx);
    await warnMissingPostrenderers(plugins, target, discovery, ctx);
    const { helm4PostRendererFiles } = await import("../../helm-bridges.js");
    const command = ["capstan helm4 post-renderer-plugin", ...plugins].join(" ");
    writeBridgeFiles(dir, helm4PostRendererFiles(target, name, plugins, ctx.afterDashes, command));
    ctx.stdout.write(
      `wrote Helm 4 post-renderer plugin "${name}" in ${dir}\n` +
        `use: helm plugin install ${dir} && helm install NAME CHART --post-renderer ${name}\n`,
    );
    return 0;
  },
});
