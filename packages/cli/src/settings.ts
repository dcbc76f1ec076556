// Host settings for a command: the environment plus the global flags and the bin path.
import { type HostSettings, resolveSettings } from "@capstan/host";
import type { CommandContext } from "./command.js";

/** HostSettings for this invocation (flags win over the environment). */
export function settingsFor(ctx: Pick<CommandContext, "env" | "bin" | "globals">): HostSettings {
  const g = ctx.globals;
  return resolveSettings(ctx.env, {
    bin: ctx.bin,
    debug: g.debug || undefined,
    namespace: g.namespace,
    kubeContext: g.kubeContext,
    kubeconfig: g.kubeconfig,
  });
}
