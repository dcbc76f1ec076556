// `capstan plugin inspect <name>`: what an installed plugin is and may do: its source, its
// provenance (the signer verified at install, or checked again with --keyring) and its grants
// (network hosts, paths ro/rw, environment variables, host functions, timeout, memory).
import { CapstanError, ExitCode } from "@capstan/manifest";
import { defineCommand } from "../../command.js";
import { discoveryOptions, settingsFor } from "../../settings.js";

/** `capstan plugin inspect` */
export const pluginInspectCommand = defineCommand({
  name: "plugin inspect",
  args: "<name>",
  summary: "show an installed plugin's source, provenance and grants",
  description:
    "Show where an installed plugin came from, who signed it and what it may do: network\n" +
    "hosts, mounted paths (ro/rw), environment variables, host functions, timeout and memory.",
  options: [
    {
      flags: "--keyring <path>",
      description: "check the signer against this keyring now (default: the result verified at install)",
    },
  ],
  async run([name], opts, ctx) {
    const { describePluginProvenance, discoverPlugins, installRecordFor, provenanceStatus } = await import(
      "@capstan/host"
    );
    const { formatGrants, pluginGrants, terminalSafe } = await import("@capstan/distribution");
    const settings = await settingsFor(ctx);
    const { plugins } = await discoverPlugins(settings.pluginPath, discoveryOptions(settings, ctx.globals));
    const plugin = plugins.find((p) => p.manifest.name === String(name));
    if (!plugin) {
      throw new CapstanError("PLUGIN_NOT_INSTALLED", `plugin ${String(name)} is not installed`, {
        exitCode: ExitCode.notFound,
        hint: "see installed plugins with `capstan plugin list`",
      });
    }
    let keyring: Awaited<ReturnType<typeof import("@capstan/signing").loadKeyring>> | undefined;
    if (opts.keyring !== undefined) {
      const { loadKeyring } = await import("@capstan/signing");
      keyring = await loadKeyring(String(opts.keyring));
    }
    const status = await provenanceStatus(plugin, keyring, { fallbackToRecord: opts.keyring === undefined });
    let record: ReturnType<typeof installRecordFor>;
    try {
      record = installRecordFor(plugin.dir);
    } catch {
      record = undefined;
    }
    const m = plugin.manifest;
    const p = record?.provenance;
    const lines = [
      `Name: ${m.name}`,
      `Version: ${m.version}`,
      `Type: ${m.type} (${m.runtime})`,
      `Directory: ${plugin.dir}`,
      `Source: ${record ? `${record.source} (${record.kind})` : "unknown (not installed by capstan)"}`,
      `Provenance: ${await describePluginProvenance(status)}`,
      ...(p ? [`Signer: ${p.signer} (fingerprint ${p.fingerprint}, key ${p.keyId}), ${p.hash}`] : []),
      ...(record ? [`Installed: ${record.installedAt}`] : []),
      "Grants:",
      ...formatGrants(pluginGrants(m)),
    ];
    // Manifest and record text reaches the terminal: control characters are shown escaped.
    ctx.stdout.write(`${lines.map(terminalSafe).join("\n")}\n`);
    return 0;
  },
});
