// Legacy (Helm 3, no apiVersion) plugin.yaml -> PluginManifest with runtime subprocess.
// Capstan keeps the CLI command of a plugin that also has downloaders (Helm 4 drops it).
import { optional, pluginName, pluginVersion } from "./common-fields.js";
import { parseCommandsAndHooks, protocolList, splitCommand } from "./platform-command.js";
import type { PluginManifest, ProtocolCommand, SubprocessRuntimeConfig } from "./types.js";
import type { Ctx, Entry } from "./yaml-context.js";

/** Top-level keys of a legacy plugin.yaml. `useTunnel` (Helm 2) is accepted and ignored. */
export const legacyKeys = [
  "apiVersion",
  "name",
  "version",
  "usage",
  "description",
  "command",
  "platformCommand",
  "ignoreFlags",
  "hooks",
  "platformHooks",
  "downloaders",
  "useTunnel",
];

/** Validates a legacy (Helm 3) plugin.yaml and maps it to the normalized manifest. */
export function normalizeLegacy(ctx: Ctx, entries: Entry[], raw: Record<string, unknown>): PluginManifest {
  const v1Hint = "this is an apiVersion v1 key: add apiVersion: v1 at the top of plugin.yaml";
  ctx.checkKeys(entries, legacyKeys, "error", "of a legacy (Helm 3) plugin.yaml", {
    type: v1Hint,
    runtime: v1Hint,
    config: v1Hint,
    runtimeConfig: v1Hint,
    sourceURL: v1Hint,
  });
  const name = pluginName(ctx, entries);
  const version = pluginVersion(ctx, entries);
  const get = (k: string) => optional(ctx, entries, k);
  const sub: SubprocessRuntimeConfig = { ...parseCommandsAndHooks(ctx, get, "error"), protocolCommands: [] };

  const dl = get("downloaders");
  const protocols: string[] = [];
  if (dl) {
    sub.protocolCommands = ctx.items(dl, "a list of {protocols, command}").map((item): ProtocolCommand => {
      const es = ctx.entries(item, "a map with keys protocols, command");
      ctx.checkKeys(es, ["protocols", "command"], "error", "of a downloader");
      const p = es.find((e) => e.key === "protocols");
      const c = es.find((e) => e.key === "command");
      if (!p)
        ctx.fail(
          { ...item, path: `${item.path}.protocols` },
          "missing-key",
          "is required",
          'e.g. protocols: ["s3"]',
        );
      if (!c)
        ctx.fail(
          { ...item, path: `${item.path}.command` },
          "missing-key",
          "is required",
          "the program that fetches a URL",
        );
      const list = protocolList(ctx, ctx.at(p));
      for (const x of list) if (!protocols.includes(x)) protocols.push(x);
      return {
        protocols: list,
        platformCommand: [splitCommand(ctx.nonEmptyString(ctx.at(c), "a non-empty command"))],
      };
    });
    if (sub.protocolCommands.length === 0) {
      ctx.fail(
        dl,
        "invalid-value",
        "must list at least one downloader",
        "remove downloaders, or add {protocols, command}",
      );
    }
  }

  const usage = get("usage");
  const description = get("description");
  const ignoreFlags = get("ignoreFlags");
  const m: PluginManifest = {
    apiVersion: "legacy",
    name,
    version,
    type: dl ? "getter/v1" : "cli/v1",
    runtime: "subprocess",
    subprocess: sub,
    raw,
  };
  if (usage) m.usage = ctx.string(usage);
  if (description) m.description = ctx.string(description);
  const useTunnel = get("useTunnel");
  if (useTunnel) ctx.boolean(useTunnel);
  if (!dl || sub.platformCommand.length > 0) {
    m.cli = {
      usage: name,
      shortHelp: m.usage || `the "${name}" plugin`,
      longHelp: m.description ?? "",
      ignoreFlags: ignoreFlags ? ctx.boolean(ignoreFlags) : false,
    };
  } else if (ignoreFlags) {
    ctx.boolean(ignoreFlags);
  }
  if (dl) m.getter = { protocols };
  return m;
}
