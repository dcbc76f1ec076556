// Helm 3 bridge - see docs/helm-bridges.md.
// `capstan helm3 post-renderer <plugin...> [-o file] [-- args]`: writes the executable Helm 3
// takes as --post-renderer (Helm 3 accepts only a path, not a command line).
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  bridgeTarget,
  bridgeTargetOptions,
  postRendererNames,
  warnMissingPostrenderers,
} from "../../bridge-target.js";
import { defineCommand } from "../../command.js";
import { UsageError } from "../../usage-error.js";

/** `capstan helm3 post-renderer` */
export const helm3PostRendererCommand = defineCommand({
  name: "helm3 post-renderer",
  args: "<plugin...>",
  summary: "write an executable for Helm 3's --post-renderer that runs Capstan post-renderers",
  description:
    'Writes a sh script running `capstan postrender <plugin>... -- <args> "$@"`:\n' +
    "the arguments after -- are baked in before the --post-renderer-args of Helm.\n" +
    "  helm install NAME CHART --post-renderer ./capstan-post-renderer\n" +
    "It runs this capstan (or $CAPSTAN_BIN) with this plugin path (or\n" +
    "$CAPSTAN_BRIDGE_PLUGINS). docs/helm-bridges.md",
  options: [
    { flags: "-o, --output <file>", description: "script to write", default: "capstan-post-renderer" },
    { flags: "--force", description: "overwrite an existing file" },
    ...bridgeTargetOptions,
  ],
  async run([given], opts, ctx) {
    const plugins = postRendererNames(given, ctx, "helm3 post-renderer");
    const out = resolve(String(opts.output ?? "capstan-post-renderer"));
    if (existsSync(out) && opts.force !== true)
      throw new UsageError(`${out} exists; pass --force to overwrite it`, "helm3 post-renderer");
    const { target, discovery } = await bridgeTarget(opts, ctx);
    await warnMissingPostrenderers(plugins, target, discovery, ctx);
    const { postRendererScript } = await import("../../helm-bridges.js");
    const command = ["capstan helm3 post-renderer", ...plugins].join(" ");
    const use = `Helm 3: helm install NAME CHART --post-renderer ${out} [--post-renderer-args ARG]...`;
    writeFileSync(out, postRendererScript(target, plugins, ctx.afterDashes, { command, use }));
    chmodSync(out, 0o755);
    ctx.stdout.write(`wrote ${out}\nuse: helm install NAME CHART --post-renderer ${out}\n`);
    return 0;
  },
});
