// apiVersion v1 (Helm 4) plugin.yaml -> PluginManifest.
import { optional, pluginName, pluginVersion, required } from "./common-fields.js";
import { extismKeys, parseExtismConfig } from "./extism-config.js";
import { parseCommandsAndHooks, parseProtocolCommands, protocolList } from "./platform-command.js";
import type { CliConfig, PluginManifest, PluginType, RuntimeName, SubprocessRuntimeConfig } from "./types.js";
import type { At, Ctx, Entry } from "./yaml-context.js";

/** Top-level keys of an apiVersion v1 plugin.yaml. */
export const v1Keys = [
  "apiVersion",
  "name",
  "version",
  "type",
  "runtime",
  "sourceURL",
  "config",
  "runtimeConfig",
];

/** Type names accepted in `type`, including the HIP-0026 draft names, and what they mean. */
export const typeAliases: Readonly<Record<string, PluginType>> = {
  "cli/v1": "cli/v1",
  "getter/v1": "getter/v1",
  "postrenderer/v1": "postrenderer/v1",
  "cli.plugins.helm.sh/v1": "cli/v1",
  "download.plugins.helm.sh/v1": "getter/v1",
  "postrender.plugins.helm.sh/v1": "postrenderer/v1",
};

const runtimes: readonly RuntimeName[] = ["extism/v1", "subprocess"];

/** Where the Helm 3 keys went in apiVersion v1, for the hint of an "unknown key" error. */
const legacyKeyAdvice: Readonly<Record<string, string>> = {
  usage: "in apiVersion v1 this is config.shortHelp (cli/v1); or remove apiVersion for a Helm 3 plugin.yaml",
  description:
    "in apiVersion v1 this is config.longHelp (cli/v1); or remove apiVersion for a Helm 3 plugin.yaml",
  ignoreFlags: "in apiVersion v1 this is config.ignoreFlags (cli/v1)",
  command: "in apiVersion v1 use runtime: subprocess with runtimeConfig.platformCommand",
  platformCommand: "in apiVersion v1 this goes under runtimeConfig (runtime: subprocess)",
  hooks: "in apiVersion v1 use runtimeConfig.platformHooks (runtime: subprocess)",
  platformHooks: "in apiVersion v1 this goes under runtimeConfig (runtime: subprocess)",
  downloaders:
    "in apiVersion v1 use type: getter/v1 with config.protocols and runtimeConfig.protocolCommands",
  protocols: "protocols goes under config (type: getter/v1)",
};

/** Known subprocess runtimeConfig keys (`command` and `hooks` are Helm 4.0's). */
export const subprocessKeys = ["platformCommand", "platformHooks", "protocolCommands", "command", "hooks"];

/** Validates an apiVersion v1 plugin.yaml and normalizes HIP-0026 draft names and defaults. */
export function normalizeV1(ctx: Ctx, entries: Entry[], raw: Record<string, unknown>): PluginManifest {
  ctx.checkKeys(entries, v1Keys, "error", "of an apiVersion v1 plugin.yaml", legacyKeyAdvice);
  const name = pluginName(ctx, entries);
  const version = pluginVersion(ctx, entries);
  const typeAt = required(ctx, entries, "type", "add e.g. type: cli/v1");
  const declaredType = ctx.string(typeAt);
  const type = typeAliases[declaredType];
  if (!type) {
    ctx.fail(
      typeAt,
      "invalid-value",
      `unknown plugin type "${declaredType}"`,
      "use cli/v1, getter/v1 or postrenderer/v1",
    );
  }
  const runtimeAt = required(ctx, entries, "runtime", "add runtime: extism/v1 (Wasm) or runtime: subprocess");
  const runtime = ctx.string(runtimeAt) as RuntimeName;
  if (!runtimes.includes(runtime)) {
    ctx.fail(runtimeAt, "invalid-value", `unknown runtime "${runtime}"`, "use extism/v1 or subprocess");
  }
  const m: PluginManifest = { apiVersion: "v1", name, version, type, runtime, raw };
  if (declaredType !== type) m.declaredType = declaredType;
  const src = optional(ctx, entries, "sourceURL");
  if (src) m.sourceURL = sourceUrl(ctx, src);

  const configEntry = entries.find((e) => e.key === "config");
  const config = configEntry ? ctx.at(configEntry) : { node: null, anchor: null, path: "config" };
  if (type === "cli/v1") m.cli = cliConfig(ctx, config, name);
  if (type === "getter/v1") {
    const ce = ctx.entries(config, "a map with protocols");
    ctx.checkKeys(ce, ["protocols"], "error", "of a getter/v1 config");
    const protocols = ce.find((e) => e.key === "protocols");
    if (!protocols || ctx.isNull(ctx.at(protocols))) {
      ctx.fail(
        protocols ? ctx.at(protocols) : { ...config, anchor: config.anchor, path: "config.protocols" },
        "missing-key",
        "is required for a getter/v1 plugin",
        'list the URL schemes it serves, e.g. config: {protocols: ["s3"]}',
      );
    }
    m.getter = { protocols: protocolList(ctx, ctx.at(protocols)) };
  }
  if (type === "postrenderer/v1") {
    ctx.checkKeys(ctx.entries(config, "a map"), [], "error", "in a postrenderer/v1 config; remove config");
  }

  const rcEntry = entries.find((e) => e.key === "runtimeConfig");
  const rc = rcEntry ? ctx.at(rcEntry) : { node: null, anchor: null, path: "runtimeConfig" };
  if (runtime === "extism/v1") m.extism = parseExtismConfig(ctx, rc);
  else m.subprocess = subprocessConfig(ctx, rc);
  return m;
}

/** cli/v1 config with defaults: usage = name, shortHelp = `the "<name>" plugin`. */
function cliConfig(ctx: Ctx, at: At, name: string): CliConfig {
  const entries = ctx.entries(at, "a map");
  ctx.checkKeys(entries, ["usage", "shortHelp", "longHelp", "ignoreFlags"], "error", "of a cli/v1 config");
  const cli: CliConfig = { usage: name, shortHelp: `the "${name}" plugin`, longHelp: "", ignoreFlags: false };
  for (const e of entries) {
    const v = ctx.at(e);
    if (ctx.isNull(v)) continue;
    if (e.key === "ignoreFlags") cli.ignoreFlags = ctx.boolean(v);
    else if (e.key === "usage" || e.key === "shortHelp" || e.key === "longHelp") {
      const s = ctx.string(v);
      if (s !== "") cli[e.key] = s;
    }
  }
  return cli;
}

function subprocessConfig(ctx: Ctx, at: At): SubprocessRuntimeConfig {
  const entries = ctx.entries(at, "a map");
  ctx.checkKeys(
    entries,
    subprocessKeys,
    "warn",
    "of a subprocess runtimeConfig",
    Object.fromEntries(
      extismKeys.map((k) => [
        k,
        `${k} is an extism/v1 runtimeConfig key, but this plugin's runtime is subprocess`,
      ]),
    ),
  );
  const get = (k: string) => optional(ctx, entries, k);
  // Helm 4.0's `command` and `hooks` strings are honored the way the legacy format does.
  const rc: SubprocessRuntimeConfig = { ...parseCommandsAndHooks(ctx, get, "warn"), protocolCommands: [] };
  const proto = get("protocolCommands");
  if (proto) rc.protocolCommands = parseProtocolCommands(ctx, proto, "warn");
  return rc;
}

/** sourceURL must parse as an absolute URL. */
export function sourceUrl(ctx: Ctx, at: At): string {
  const s = ctx.string(at);
  if (!URL.canParse(s))
    ctx.fail(
      at,
      "invalid-value",
      `"${s}" is not a URL`,
      "write an absolute URL such as https://github.com/me/plugin",
    );
  return s;
}
