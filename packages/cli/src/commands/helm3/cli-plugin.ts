// Helm 3 bridge - see docs/helm-bridges.md.
// `capstan helm3 cli-plugin <plugin> [-d dir] [--name n]`: writes a Helm 3 (legacy plugin.yaml)
// plugin so that `helm <name> args` runs the Capstan cli plugin (Wasm) with those args.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { bridgeTarget } from "../../bridge-target.js";
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
    { flags: "-d, --destination <dir>", description: "directory to create the plugin in", default: "." },
    { flags: "--name <name>", description: "Helm plugin name (default: the plugin's)" },
    { flags: "--force", description: "replace an existing plugin directory" },
    { flags: "--capstan <path>", description: "capstan executable the script runs (default: this one)" },
    {
      flags: "--plugin-home <path>",
      description: "Capstan plugin path baked into the script (default: the current one)",
    },
  ],
  async run([given], opts, ctx) {
    const plugin = String(given);
    const name = opts.name === undefined ? plugin : String(opts.name);
    for (const n of [plugin, name]) {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(n))
        throw new UsageError(`"${n}" is not a plugin name`, "helm3 cli-plugin");
    }
    const dir = resolve(String(opts.destination ?? "."), name);
    if (existsSync(dir)) {
      if (opts.force !== true)
        throw new UsageError(`${dir} exists; pass --force to replace it`, "helm3 cli-plugin");
      rmSync(dir, { recursive: true, force: true });
    }
    const { target, discovery } = await bridgeTarget(opts, ctx);
    const { pluginHasType } = await import("../../host-lite.js");
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
    for (const f of files) {
      const file = join(dir, f.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, f.text);
      if (f.executable) chmodSync(file, 0o755);
    }
    ctx.stdout.write(
      `wrote Helm 3 plugin "${name}" running the Capstan plugin "${plugin}" in ${dir}\n` +
        `use: helm plugin install ${dir} && helm ${name} ...\n`,
    );
    return 0;
  },
});
