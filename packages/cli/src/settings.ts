// Host settings for a command: the environment plus the global flags and the bin path.
import type { HostSettings } from "@capstan/host";
import type { CommandContext } from "./command.js";

/** HostSettings for this invocation (flags win over the environment). Loads host lazily. */
export async function settingsFor(
  ctx: Pick<CommandContext, "env" | "bin" | "globals">,
): Promise<HostSettings> {
  const { resolveSettings } = await import("@capstan/host");
  const g = ctx.globals;
  return resolveSettings(ctx.env, {
    bin: ctx.bin,
    debug: g.debug || undefined,
    namespace: g.namespace,
    kubeContext: g.kubeContext,
    kubeconfig: g.kubeconfig,
  });
}
