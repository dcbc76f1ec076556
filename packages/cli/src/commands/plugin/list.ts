// `capstan plugin list [--type T]`: installed plugins, one per row (Helm 4's columns).
// SOURCE and PROVENANCE come from the install record (`.capstan-install.json`); provenance is
// checked again against the keyring now, so a revoked key or an edited file shows up.
import { defineCommand } from "../../command.js";
import { printProblems, printShadowed } from "../../plugin-warnings.js";
import { discoveryOptions, settingsFor } from "../../settings.js";
import { formatTable } from "../../table.js";
import { UsageError } from "../../usage-error.js";

/** `capstan plugin list` */
export const pluginListCommand = defineCommand({
  name: "plugin list",
  aliases: ["ls"],
  summary: "list installed plugins",
  description:
    "List installed plugins with NAME VERSION TYPE APIVERSION PROVENANCE SOURCE.\n" +
    "Broken or shadowed plugins (by an earlier plugin of the same name, or a cli plugin by a\n" +
    "built-in command) are reported on stderr and never hide the others.",
  options: [
    {
      flags: "--type <type>",
      description: "only plugins of this type: cli, getter or postrenderer (or cli/v1 ...)",
    },
    {
      flags: "--keyring <path>",
      description: "public keyring to check signers against ($CAPSTAN_KEYRING, else ~/.gnupg/pubring.gpg)",
    },
  ],
  async run(_args, opts, ctx) {
    const {
      defaultKeyringPath,
      describePluginProvenance,
      discoverPlugins,
      installRecordFor,
      normalizePluginType,
      pluginHasType,
      provenanceStatus,
    } = await import("@capstan/host");
    const type = opts.type === undefined ? undefined : normalizePluginType(String(opts.type));
    if (opts.type !== undefined && !type) {
      throw new UsageError(
        `--type: unknown plugin type "${opts.type}" (use cli, getter or postrenderer)`,
        "plugin list",
      );
    }
    const settings = await settingsFor(ctx);
    const discovery = await discoverPlugins(settings.pluginPath, discoveryOptions(settings, ctx.globals));
    printProblems(discovery, ctx.stderr);
    await printShadowed(discovery.plugins, ctx.stderr);
    const plugins = discovery.plugins.filter((p) => !type || pluginHasType(p, type));
    const records = plugins.map((p) => {
      try {
        return installRecordFor(p.dir);
      } catch {
        return undefined; // an unreadable record shows as invalid provenance below
      }
    });
    // Without --keyring/$CAPSTAN_KEYRING, a signer missing from the default keyring shows the
    // result verified at install rather than "unknown key".
    const keyringExplicit = opts.keyring !== undefined || Boolean(ctx.env.CAPSTAN_KEYRING);
    // The keyring (and OpenPGP) load only when some plugin was installed verified.
    let keyring: Awaited<ReturnType<typeof import("@capstan/signing").loadKeyring>> | undefined;
    if (records.some((r) => r?.provenance)) {
      const { loadKeyring } = await import("@capstan/signing");
      keyring = await loadKeyring(
        opts.keyring === undefined ? defaultKeyringPath(ctx.env) : String(opts.keyring),
      ).catch(() => undefined);
    }
    const rows = await Promise.all(
      plugins.map(async (p, i) => {
        const provenance = await describePluginProvenance(
          await provenanceStatus(p, keyring, { fallbackToRecord: !keyringExplicit }),
        );
        const m = p.manifest;
        return [m.name, m.version, m.type, m.apiVersion, provenance, records[i]?.source ?? "unknown"];
      }),
    );
    ctx.stdout.write(formatTable(["NAME", "VERSION", "TYPE", "APIVERSION", "PROVENANCE", "SOURCE"], rows));
    return 0;
  },
});
