// `capstan plugin repo list [-o json]`: the added plugin repositories (never their passwords).
import { defineCommand } from "../../command.js";
import { settingsFor } from "../../settings.js";
import { formatTable } from "../../table.js";
import { outputFormat, outputOption } from "./repo-options.js";

/** `capstan plugin repo list` */
export const pluginRepoListCommand = defineCommand({
  name: "plugin repo list",
  aliases: ["ls"],
  summary: "list added plugin repositories",
  options: [outputOption],
  async run(_args, opts, ctx) {
    const format = outputFormat(opts, "plugin repo list");
    const { listRepositories } = await import("@capstan/distribution");
    const repos = listRepositories({ settings: await settingsFor(ctx), env: ctx.env });
    if (format === "json") {
      ctx.stdout.write(`${JSON.stringify(repos.map((r) => ({ name: r.name, url: r.url })))}\n`);
    } else if (repos.length === 0) {
      ctx.stderr.write("no plugin repositories; add one with `capstan plugin repo add <name> <url>`\n");
    } else {
      ctx.stdout.write(
        formatTable(
          ["NAME", "URL"],
          repos.map((r) => [r.name, r.url]),
        ),
      );
    }
    return 0;
  },
});
