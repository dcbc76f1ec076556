// Host settings for a command: the environment plus the global flags and the bin path.
import { join } from "node:path";
import { type DiscoveryOptions, type HostSettings, resolveSettings } from "@capstan/host";
import type { CommandContext } from "./command.js";
import { buildId, version } from "./version.js";

/** HostSettings for this invocation (flags win over the environment). */
export async function settingsFor(
  ctx: Pick<CommandContext, "env" | "bin" | "globals">,
): Promise<HostSettings> {
  const g = ctx.globals;
  return resolveSettings(ctx.env, {
    bin: ctx.bin,
    debug: g.debug || undefined,
    namespace: g.namespace,
    kubeContext: g.kubeContext,
    kubeconfig: g.kubeconfig,
  });
}

/** Discovery options for the CLI: the manifest cache in HELM_CACHE_HOME, keyed by this build. */
export function discoveryOptions(settings: HostSettings): DiscoveryOptions {
  return { cache: { file: join(settings.cacheHome, "plugin-index.json"), key: `${version}+${buildId}` } };
}
