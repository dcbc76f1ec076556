// `capstan plugin search [keyword]`: plugins in the cached indexes of the added repositories.
// Everything shown comes from indexes other people wrote, so every cell is made printable.
import { defineCommand } from "../../command.js";
import { settingsFor } from "../../settings.js";
import { formatTable } from "../../table.js";
import { UsageError } from "../../usage-error.js";
import { outputFormat, outputOption } from "./repo-options.js";

/** `capstan plugin search` */
export const pluginSearchCommand = defineCommand({
  name: "plugin search",
  args: "[keyword]",
  summary: "search the added plugin repositories",
  description:
    "List plugins in the added repositories (cached indexes; refresh with `capstan plugin repo\n" +
    "update`) whose name or description contains <keyword>: NAME (repo/plugin), VERSION, TYPE,\n" +
    "DESCRIPTION. Only the newest stable version of each plugin unless --versions.",
  options: [
    { flags: "--type <type>", description: "only plugins of this type: cli, getter or postrenderer" },
    { flags: "--versions", description: "every version, not only the newest" },
    {
      flags: "--max-col-width <n>",
      description: "cut the DESCRIPTION column at n characters (0: never)",
      default: "50",
    },
    outputOption,
  ],
  async run([keyword], opts, ctx) {
    const format = outputFormat(opts, "plugin search");
    const width = Number(opts.maxColWidth);
    if (!Number.isSafeInteger(width) || width < 0)
      throw new UsageError(
        `--max-col-width must be a whole number, not "${opts.maxColWidth}"`,
        "plugin search",
      );
    const { normalizePluginType } = await import("@capstan/host");
    const type = opts.type === undefined ? undefined : normalizePluginType(String(opts.type));
    if (opts.type !== undefined && !type) {
      throw new UsageError(
        `--type: unknown plugin type "${opts.type}" (use cli, getter or postrenderer)`,
        "plugin search",
      );
    }
    const { printable, searchRepositories } = await import("@capstan/distribution");
    const hits = searchRepositories({
      settings: await settingsFor(ctx),
      env: ctx.env,
      ...(keyword === undefined ? {} : { keyword: String(keyword) }),
      ...(type ? { type } : {}),
      versions: opts.versions === true,
      warn: (line) => ctx.stderr.write(`warning: ${line}\n`),
    });
    const rows = hits.map(({ repo, entry: e }) => ({
      name: `${repo}/${e.name}`,
      version: e.version,
      type: e.type,
      description: e.description ?? "",
    }));
    if (format === "json") {
      // JSON.stringify escapes C0 controls; printable also escapes C1 and DEL (valid JSON escapes).
      ctx.stdout.write(`${printable(JSON.stringify(rows))}\n`);
    } else if (rows.length === 0) {
      ctx.stderr.write("No results found\n");
    } else {
      ctx.stdout.write(
        formatTable(
          ["NAME", "VERSION", "TYPE", "DESCRIPTION"],
          rows.map((r) => [r.name, r.version, r.type, cut(printable(r.description), width)]),
        ),
      );
    }
    return 0;
  },
});

/** `text` cut to `width` characters with a trailing "..." (Helm's search column rule); 0 keeps it whole. */
function cut(text: string, width: number): string {
  return width === 0 || text.length <= width ? text : `${text.slice(0, Math.max(0, width - 3))}...`;
}
