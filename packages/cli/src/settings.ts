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

/**
 * Discovery options for the CLI: `--strict` (from `globals`), and the manifest cache in
 * HELM_CACHE_HOME, one file per plugin path (so runs with different $CAPSTAN_PLUGINS do not
 * evict each other), keyed by this build.
 */
export function discoveryOptions(
  settings: HostSettings,
  globals?: Pick<CommandContext["globals"], "strict">,
): DiscoveryOptions {
  const name = `plugin-index-${fnv1a(settings.pluginPath.join("\0"))}.json`;
  return {
    strict: globals?.strict === true,
    cache: { file: join(settings.cacheHome, name), key: `${version}+${buildId}` },
  };
}

/** 32-bit FNV-1a as hex: a file-name hash without loading node:crypto. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}
