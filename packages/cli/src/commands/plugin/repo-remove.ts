// `capstan plugin repo remove <name...>`: forgets repositories and their cached indexes.
// Plugins installed from them stay installed; updating them needs the repository again.
import { defineCommand } from "../../command.js";
import { settingsFor } from "../../settings.js";

/** `capstan plugin repo remove` */
export const pluginRepoRemoveCommand = defineCommand({
  name: "plugin repo remove",
  aliases: ["rm"],
  args: "<name...>",
  summary: "remove plugin repositories",
  async run([names], _opts, ctx) {
    const { removeRepository } = await import("@capstan/distribution");
    const context = { settings: await settingsFor(ctx), env: ctx.env };
    for (const name of names as string[]) {
      removeRepository(name, context);
      ctx.stdout.write(`"${name}" has been removed from your plugin repositories\n`);
    }
    return 0;
  },
});
