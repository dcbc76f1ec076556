// `capstan postrender <plugin>... [--args a,b] < in > out`: manifests on stdin through the
// post-renderer plugins in order. Also Helm 3's `--post-renderer` executable:
//   helm install x ./chart --post-renderer capstan --post-renderer-args postrender \
//     --post-renderer-args my-plugin
import { defineCommand } from "../command.js";
import { parseTimeout } from "../duration.js";
import { printProblems } from "../plugin-warnings.js";
import { readStdin } from "../read-stdin.js";
import { discoveryOptions, settingsFor } from "../settings.js";
import { UsageError } from "../usage-error.js";

/** `capstan postrender` */
export const postrenderCommand = defineCommand({
  name: "postrender",
  args: "<plugin...>",
  summary: "pipe manifests from stdin through post-renderer plugins, in order",
  description:
    "Read Kubernetes manifests on stdin, run them through each post-renderer plugin in order\n" +
    "and write the result to stdout. Arguments after -- go to every plugin (like --args).\n" +
    "Works as Helm 3's --post-renderer executable.",
  options: [
    {
      flags: "--args <list>",
      description: "extra arguments for every plugin, comma-separated (repeatable)",
      repeatable: true,
    },
    {
      flags: "--timeout <duration>",
      description:
        "time limit per plugin, e.g. 30s or 5m (absent or 0: the plugin's runtimeConfig.timeout, else 30s; at most 24h)",
    },
  ],
  async run([given], opts, ctx) {
    // `postrender a b -- --x y`: commander lists x and y as plugin names too; split them off.
    const all = given as string[];
    const names = all.slice(0, all.length - ctx.afterDashes.length);
    if (names.length === 0)
      throw new UsageError("name at least one post-renderer plugin before --", "postrender");
    const { discoverPlugins, invokePostrenderers, pickPlugin } = await import("@capstan/host");
    const settings = await settingsFor(ctx);
    const discovery = await discoverPlugins(settings.pluginPath, discoveryOptions(settings, ctx.globals));
    // Resolve every plugin before reading stdin, so a typo fails fast.
    const plugins = names.map((n) => pickPlugin(discovery, n, "postrenderer/v1"));
    if (ctx.globals.debug) printProblems(discovery, ctx.stderr);
    const extraArgs = [
      ...((opts.args as string[] | undefined) ?? []).flatMap((a) => a.split(",")).filter((a) => a !== ""),
      ...ctx.afterDashes,
    ];
    const timeoutMs = parseTimeout(opts.timeout);
    const manifests = await readStdin(ctx.stdinFd, () => ctx.stdin);
    const out = await invokePostrenderers(plugins, manifests, extraArgs, {
      settings,
      env: ctx.env,
      timeoutMs,
    });
    ctx.stdout.write(out);
    return 0;
  },
});
