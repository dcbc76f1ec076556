// `capstan plugin list [--type T]`: installed plugins, one per row (Helm 4's columns).
import { defineCommand } from "../../command.js";
import { printProblems } from "../../plugin-warnings.js";
import { settingsFor } from "../../settings.js";
import { formatTable } from "../../table.js";
import { UsageError } from "../../usage-error.js";

/** `capstan plugin list` */
export const pluginListCommand = defineCommand({
  name: "plugin list",
  aliases: ["ls"],
  summary: "list installed plugins",
  description:
    "List installed plugins with NAME VERSION TYPE APIVERSION PROVENANCE SOURCE.\n" +
    "Broken or shadowed plugins are reported on stderr and never hide the others.",
  options: [
    {
      flags: "--type <type>",
      description: "only plugins of this type: cli, getter or postrenderer (or cli/v1 ...)",
    },
  ],
  async run(_args, opts, ctx) {
    const { discoverPlugins, normalizePluginType, pluginHasType, readInstallInfo } = await import(
      "@capstan/host"
    );
    const type = opts.type === undefined ? undefined : normalizePluginType(String(opts.type));
    if (opts.type !== undefined && !type) {
      throw new UsageError(
        `--type: unknown plugin type "${opts.type}" (use cli, getter or postrenderer)`,
        "plugin list",
      );
    }
    const settings = await settingsFor(ctx);
    const discovery = await discoverPlugins(settings.pluginPath);
    printProblems(discovery, ctx.stderr);
    const plugins = discovery.plugins.filter((p) => !type || pluginHasType(p, type));
    const infos = await Promise.all(plugins.map((p) => readInstallInfo(p.dir)));
    const rows = plugins.map((p, i) => {
      const info = infos[i]!;
      const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : "unknown");
      return [
        p.manifest.name,
        p.manifest.version,
        p.manifest.type,
        p.manifest.apiVersion,
        text(info.provenance),
        text(info.source),
      ];
    });
    ctx.stdout.write(formatTable(["NAME", "VERSION", "TYPE", "APIVERSION", "PROVENANCE", "SOURCE"], rows));
    return 0;
  },
});
