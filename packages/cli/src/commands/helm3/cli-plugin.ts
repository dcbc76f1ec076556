// Helm 3 bridge - see docs/helm-bridges.md.
// `capstan helm3 cli-plugin <plugin> [-d dir] [--name n]`: writes a Helm 3 (legacy plugin.yaml)
// plugin so that `helm <name> args` runs the Capstan cli plugin (Wasm) with those args.
import {
  bridgeTarget,
  bridgeTargetOptions,
  pluginDirOptions,
  preparePluginDir,
  writeBridgeFiles,
} from "../../bridge-target.js";
import { defineCommand } from "../../command.js";
import { UsageError } from "../../usage-error.js";

/** `capstan helm3 cli-plugin` */
export const helm3CliPluginCommand = defineCommand({
  name: "helm3 cli-plugin",
  args: "<plugin>",
  summary: "write a Helm 3 plugin that runs a Capstan cli plugin as `helm <name>`",
  description:
    "Writes DIR/NAME/plugin.yaml (Helm 3 format, `command:`) and\n" +
    "DIR/NAME/bin/capstan-run, which runs `capstan <plugin> ARGS` with this capstan\n" +
    "(or $CAPSTAN_BIN) and this plugin path (or $CAPSTAN_BRIDGE_PLUGINS); the exit\n" +
    "code is the plugin's. Install it: helm plugin install DIR/NAME, then\n" +
    "helm NAME ARGS. docs/helm-bridges.md",
  options: [
    { flags: "--name <name>", description: "Helm plugin name (default: the plugin's)" },
    ...pluginDirOptions,
    ...bridgeTargetOptions,
  ],
  async run([given], opts, ctx) {
    const plugin = String(given);
    const name = opts.name === undefined ? plugin : String(opts.name);
    for (const n of [plugin, name]) {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(n))
        throw new UsageError(`"${n}" is not a plugin name`, "helm3 cli-plugin");
    }
    const dir = preparePluginDir(opts, name, "helm3 cli-plugin");
    const { target, discovery } = await bridgeTarget(opts, ctx);
    const { pluginHasType } = await import("@capstan/host");
    const found = discovery.plugins.find((p) => p.manifest.name === plugin);
    if (!found || !pluginHasType(found, "cli/v1")) {
      ctx.stderr.write(
        `warning: no cli plugin "${plugin}" in ${target.pluginHome} yet: install it before running helm\n`,
      );
    }
    const { helm3CliPluginFiles } = await import("../../helm-bridges.js");
    const files = helm3CliPluginFiles(target, {
      name,
      plugin,
      version: found?.manifest.version ?? target.version,
      usage: found?.manifest.cli?.shortHelp ?? `run the Capstan plugin "${plugin}"`,
      description:
        `${found?.manifest.cli?.longHelp ?? ""}\n(Runs the Capstan plugin "${plugin}" through capstan.)`.trim(),
    });
    writeBridgeFiles(dir, files);
    ctx.stdout.write(
      `wrote Helm 3 plugin "${name}" running the Capstan plugin "${plugin}" in ${dir}\n` +
        `use: helm plugin install ${dir} && helm ${name} ...\n`,
    );
    return 0;
  },
});
