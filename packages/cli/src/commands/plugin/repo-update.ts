// `capstan plugin repo update [name...]`: fetches each repository's index into the cache. A
// repository that is unreachable or serves a refused index keeps its previous cached index.
import { defineCommand } from "../../command.js";
import { keyringOption, repoContext } from "./repo-options.js";

/** `capstan plugin repo update` */
export const pluginRepoUpdateCommand = defineCommand({
  name: "plugin repo update",
  args: "[name...]",
  summary: "fetch the newest index of plugin repositories",
  options: [keyringOption],
  async run([names], opts, ctx) {
    const { printable, updateRepositories } = await import("@capstan/distribution");
    const results = await updateRepositories(names as string[] | undefined, await repoContext(opts, ctx));
    if (results.length === 0) {
      ctx.stderr.write("no plugin repositories; add one with `capstan plugin repo add <name> <url>`\n");
      return 0;
    }
    let exitCode = 0;
    for (const r of results) {
      if (r.ok) {
        ctx.stdout.write(
          `...Successfully got an update from "${r.name}" (${r.plugins} plugin(s), ${r.versions} version(s)${r.signer ? `; signed by ${printable(r.signer.userId)}` : ""})\n`,
        );
      } else {
        const kept = r.keptCache ? "kept the previous cached index" : "no cached index";
        ctx.stderr.write(
          `error: ${r.error.message} (${kept})\n${r.error.hint ? `hint: ${r.error.hint}\n` : ""}`,
        );
        exitCode ||= r.error.exitCode;
      }
    }
    return exitCode;
  },
});
