// `capstan plugin list [--type T]`: installed plugins, one per row.
import { defineCommand } from "../../command.js";

/** `capstan plugin list` */
export const pluginListCommand = defineCommand({
  name: "plugin list",
  aliases: ["ls"],
  summary: "list installed plugins",
  options: [
    { flags: "--type <type>", description: "only plugins of this type (cli/v1, getter/v1, postrenderer/v1)" },
  ],
  async run(_args, _opts, _ctx) {
    throw new Error("plugin list: not implemented yet");
  },
});
