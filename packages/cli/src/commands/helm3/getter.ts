// Helm 3 bridge - see docs/helm-bridges.md.
// `capstan helm3 getter <certFile> <keyFile> <caFile> <href>`: Helm 3's downloader calling
// convention (what bin/capstan-getter of `capstan helm3 downloader-plugin` runs): the bytes of
// <href>, fetched by Capstan's getter plugin for its scheme, on stdout.
import { realpathSync } from "node:fs";
import { CapstanError, ExitCode } from "@capstan/manifest";
import { defineCommand } from "../../command.js";
import { discoveryOptions, settingsFor } from "../../settings.js";

/** Set to the URL for getters this bridge runs: the same URL back here is a loop. */
const GUARD = "CAPSTAN_HELM3_BRIDGE";

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** `capstan helm3 getter` */
export const helm3GetterCommand = defineCommand({
  name: "helm3 getter",
  args: "<certFile> <keyFile> <caFile> <href>",
  summary: "download <href> the way Helm 3 runs a downloader (bytes on stdout)",
  description:
    "Helm 3's downloader convention: certificate, key and CA file paths (may be\n" +
    "empty), then the URL. The getter plugin for the URL's scheme fetches it (the\n" +
    "paths become its CertFile/KeyFile/CAFile) and the bytes go to stdout. The\n" +
    "calling Helm plugin ($HELM_PLUGIN_DIR) is never chosen: a bridge cannot call\n" +
    "itself. docs/helm-bridges.md",
  async run([certFile, keyFile, caFile, href], _opts, ctx) {
    const url = String(href);
    if (ctx.env[GUARD] === url) {
      throw new CapstanError(
        "bridge-loop",
        `the Helm 3 bridge was reached again for ${url} (a getter plugin calls it back)`,
        {
          exitCode: ExitCode.failure,
          hint: "make sure the Capstan plugin path the bridge uses (baked in, or $CAPSTAN_BRIDGE_PLUGINS) holds the Wasm getter, not another Helm 3 bridge",
        },
      );
    }
    const { discoverPlugins, getUrl } = await import("@capstan/host");
    const settings = await settingsFor(ctx);
    const discovery = await discoverPlugins(settings.pluginPath, discoveryOptions(settings));
    const caller = ctx.env.HELM_PLUGIN_DIR ? real(ctx.env.HELM_PLUGIN_DIR) : undefined;
    const plugins = discovery.plugins.filter((p) => caller === undefined || real(p.dir) !== caller);
    let bytes: Uint8Array;
    try {
      bytes = await getUrl(
        url,
        plugins,
        { CertFile: String(certFile ?? ""), KeyFile: String(keyFile ?? ""), CAFile: String(caFile ?? "") },
        { settings, env: { ...ctx.env, [GUARD]: url } },
      );
    } catch (e) {
      // Under Helm the plugin home is the one baked into the bridge: name it.
      if ((e as { code?: unknown }).code === "no-getter") {
        const home = settings.pluginPath.join(":");
        throw new CapstanError("no-getter", `no getter plugin in ${home} serves ${url}`, {
          exitCode: ExitCode.notFound,
          hint: `install one there: CAPSTAN_PLUGINS=${home} capstan plugin install <getter plugin>`,
        });
      }
      throw e;
    }
    ctx.stdout.write(bytes);
    return 0;
  },
});
