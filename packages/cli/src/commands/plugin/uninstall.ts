// `capstan plugin uninstall <name>...`: runs each plugin's delete hook, then removes it.
import { defineCommand } from "../../command.js";
import { settingsFor } from "../../settings.js";

/** `capstan plugin uninstall` */
export const pluginUninstallCommand = defineCommand({
  name: "plugin uninstall",
  args: "<name...>",
  aliases: ["rm", "remove"],
  summary: "uninstall plugins",
  description:
    "Run the delete hook of each subprocess plugin, then remove its directory from the plugin\n" +
    "home (a linked development directory is unlinked, never deleted).",
  async run([names], _opts, ctx) {
    const { uninstallPlugin } = await import("@capstan/distribution");
    const settings = await settingsFor(ctx);
    for (const name of names as string[]) {
      await uninstallPlugin(name, { settings, env: ctx.env });
      ctx.stdout.write(`Uninstalled plugin: ${name}\n`);
    }
    return 0;
  },
});
