// Helm 3 bridge - see docs/helm-bridges.md. What the generated scripts bake in: the capstan
// executable and Capstan's plugin path (flags, else this capstan and its current plugin path).
import { delimiter, resolve } from "node:path";
import type { CommandContext } from "../../command.js";
import type { BridgeTarget } from "../../helm3-bridge.js";
import { discoveryOptions, settingsFor } from "../../settings.js";

/** The baked-in target of a bridge, and the plugins found on that plugin path. */
export async function bridgeTarget(opts: Record<string, unknown>, ctx: CommandContext) {
  const { discoverPlugins } = await import("../../host-lite.js");
  const { version } = await import("../../version.js");
  const settings = await settingsFor(ctx);
  const pluginPath =
    opts.pluginHome === undefined
      ? settings.pluginPath
      : String(opts.pluginHome)
          .split(delimiter)
          .filter((p) => p !== "")
          .map((p) => resolve(p));
  const target: BridgeTarget = {
    capstan: opts.capstan === undefined ? ctx.bin : resolve(String(opts.capstan)),
    pluginHome: pluginPath.join(delimiter),
    version,
  };
  const discovery = await discoverPlugins(pluginPath, discoveryOptions(settings));
  return { target, discovery };
}
