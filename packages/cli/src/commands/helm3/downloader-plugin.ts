// Helm 3 bridge - see docs/helm-bridges.md.
// `capstan helm3 downloader-plugin [--protocols s3,gs] [-d dir] [--name n]`: writes a Helm 3
// (legacy plugin.yaml) downloader plugin whose bin/capstan-getter hands the URLs to Capstan.
import { CapstanError, ExitCode } from "@capstan/manifest";
import {
  bridgeTarget,
  bridgeTargetOptions,
  pluginDirOptions,
  preparePluginDir,
  writeBridgeFiles,
} from "../../bridge-target.js";
import { defineCommand } from "../../command.js";
import { UsageError } from "../../usage-error.js";

/** `capstan helm3 downloader-plugin` */
export const helm3DownloaderPluginCommand = defineCommand({
  name: "helm3 downloader-plugin",
  summary: "write a Helm 3 downloader plugin that fetches URLs with Capstan getter plugins",
  description:
    "Writes DIR/NAME/plugin.yaml (Helm 3 format, `downloaders:`) and\n" +
    "DIR/NAME/bin/capstan-getter, which Helm 3 runs as\n" +
    "`bin/capstan-getter certFile keyFile caFile href`; that runs\n" +
    "`capstan helm3 getter` with this capstan (or $CAPSTAN_BIN) and this plugin\n" +
    "path (or $CAPSTAN_BRIDGE_PLUGINS). Install it: helm plugin install DIR/NAME,\n" +
    'or write it into -d "$(helm env HELM_PLUGINS)". Default protocols: those of\n' +
    "the installed getter plugins. docs/helm-bridges.md",
  options: [
    {
      flags: "--protocols <list>",
      description: "URL schemes Helm should hand over, comma-separated (repeatable)",
      repeatable: true,
    },
    { flags: "--name <name>", description: "Helm plugin name (and directory)", default: "capstan-getter" },
    ...pluginDirOptions,
    ...bridgeTargetOptions,
  ],
  async run(_args, opts, ctx) {
    const name = String(opts.name ?? "capstan-getter");
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      throw new UsageError(`--name: "${name}" is not a valid plugin name`, "helm3 downloader-plugin");
    const { target, discovery } = await bridgeTarget(opts, ctx);
    const wasmGetters = discovery.plugins.filter((p) => p.manifest.type === "getter/v1" && p.manifest.getter);
    const installed = [...new Set(wasmGetters.flatMap((p) => p.manifest.getter?.protocols ?? []))].sort();
    let protocols = ((opts.protocols as string[] | undefined) ?? [])
      .flatMap((p) => p.split(","))
      .map((p) => p.trim().replace(/:\/*$/, "").toLowerCase())
      .filter((p) => p !== "");
    if (protocols.length === 0) protocols = installed;
    if (protocols.length === 0) {
      throw new CapstanError(
        "no-protocols",
        `no getter plugins in ${target.pluginHome} and no --protocols given`,
        {
          exitCode: ExitCode.usage,
          hint: "install a getter plugin first (capstan plugin install ...) or pass --protocols s3",
        },
      );
    }
    const bad = protocols.find((p) => !/^[a-z][a-z0-9+.-]*$/.test(p) || p === "http" || p === "https");
    if (bad !== undefined)
      throw new UsageError(
        `--protocols: "${bad}" is not a scheme a downloader can serve`,
        "helm3 downloader-plugin",
      );
    for (const p of protocols.filter((x) => !installed.includes(x))) {
      ctx.stderr.write(
        `warning: no getter plugin for "${p}://" in ${target.pluginHome} yet: install one before using helm\n`,
      );
    }
    const dir = preparePluginDir(opts, name, "helm3 downloader-plugin");
    const { downloaderPluginFiles } = await import("../../helm-bridges.js");
    writeBridgeFiles(dir, downloaderPluginFiles(target, name, protocols));
    ctx.stdout.write(
      `wrote Helm 3 downloader plugin "${name}" for ${protocols.map((p) => `${p}://`).join(", ")} in ${dir}\n` +
        `use: helm plugin install ${dir}   (or write it into "$(helm env HELM_PLUGINS)")\n`,
    );
    return 0;
  },
});
