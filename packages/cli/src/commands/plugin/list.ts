// `capstan plugin list [--type T] [-o table|json|yaml]`: installed plugins, one per row (Helm 4's
// columns plus STATE). SOURCE and PROVENANCE come from the install record
// (`.capstan-install.json`); provenance is checked again against the keyring now, so a revoked
// key or an edited file shows up. STATE says whether the plugin can run: `ok`, `missing-wasm`
// (an extism/v1 plugin without plugin.wasm), `shadowed` (a cli plugin named like a built-in).
import { terminalText } from "@capstan/manifest";
import { defineCommand } from "../../command.js";
import { printProblems, printShadowed, shadowedByBuiltins } from "../../plugin-warnings.js";
import { discoveryOptions, settingsFor } from "../../settings.js";
import { formatTable } from "../../table.js";
import { UsageError } from "../../usage-error.js";

/** Output formats of `-o` (Helm's convention), the first the default. */
export const listFormats = ["table", "json", "yaml"] as const;

/** The values of the STATE column. */
export type PluginState = "ok" | "missing-wasm" | "shadowed";

/** `capstan plugin list` */
export const pluginListCommand = defineCommand({
  name: "plugin list",
  aliases: ["ls"],
  summary: "list installed plugins",
  description:
    "List installed plugins with NAME VERSION TYPE APIVERSION PROVENANCE SOURCE STATE.\n" +
    "STATE is ok, missing-wasm (no plugin.wasm: run `capstan plugin build`) or shadowed (a built-in\n" +
    "command has its name). Broken or shadowed plugins (by an earlier plugin of the same name, or a\n" +
    "cli plugin by a built-in command) are reported on stderr and never hide the others.",
  options: [
    {
      flags: "--type <type>",
      description: "only plugins of this type: cli, getter or postrenderer (or cli/v1 ...)",
    },
    {
      flags: "--keyring <path>",
      description: "public keyring to check signers against ($CAPSTAN_KEYRING, else ~/.gnupg/pubring.gpg)",
    },
    { flags: "-o, --output <format>", description: "output format: table, json or yaml", default: "table" },
  ],
  async run(_args, opts, ctx) {
    const {
      defaultKeyringPath,
      describePluginProvenance,
      discoverPlugins,
      installRecordFor,
      missingPluginWasm,
      normalizePluginType,
      pluginHasType,
      provenanceStatus,
    } = await import("@capstan/host");
    const format = String(opts.output ?? "table");
    if (!(listFormats as readonly string[]).includes(format)) {
      throw new UsageError(
        `-o: unknown output format "${format}" (use ${listFormats.join(", ")})`,
        "plugin list",
      );
    }
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
    const shadowed = new Set(await shadowedByBuiltins(discovery.plugins));
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
    // The keyring (and OpenPGP) load only when some plugin was installed verified. A keyring
    // that does not exist shows as `keyring missing (<key id>)`; one that exists but cannot be
    // read says why on stderr and knows no key (`unknown key <id>`).
    let keyring: Awaited<ReturnType<typeof import("@capstan/signing").loadKeyring>> | undefined;
    if (records.some((r) => r?.provenance)) {
      const { keyringFromKeys, loadKeyring } = await import("@capstan/signing");
      keyring = await loadKeyring(
        opts.keyring === undefined ? defaultKeyringPath(ctx.env) : String(opts.keyring),
      ).catch(async (e: { code?: string; message?: string }) => {
        if (e.code === "KEYRING_MISSING") return undefined;
        if (keyringExplicit) ctx.stderr.write(`warning: ${terminalText(String(e.message))}\n`);
        return keyringFromKeys([]);
      });
    }
    const rows = await Promise.all(
      plugins.map(async (p, i) => {
        const provenance = await describePluginProvenance(
          await provenanceStatus(p, keyring, { fallbackToRecord: !keyringExplicit }),
        );
        const state: PluginState = missingPluginWasm(p)
          ? "missing-wasm"
          : shadowed.has(p)
            ? "shadowed"
            : "ok";
        const m = p.manifest;
        return {
          name: m.name,
          version: m.version,
          type: m.type,
          apiVersion: m.apiVersion,
          provenance,
          source: records[i]?.source ?? "unknown",
          state,
        };
      }),
    );
    if (format === "table") {
      ctx.stdout.write(
        formatTable(
          ["NAME", "VERSION", "TYPE", "APIVERSION", "PROVENANCE", "SOURCE", "STATE"],
          rows.map((r) => [r.name, r.version, r.type, r.apiVersion, r.provenance, r.source, r.state]),
        ),
      );
      return 0;
    }
    // The same text as the table: values pass through terminalText, so JSON and YAML carry
    // no control characters from plugin.yaml or a signer's user id either.
    const safe = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, terminalText(String(v))])),
    );
    if (format === "json") {
      ctx.stdout.write(`${JSON.stringify(safe, null, 2)}\n`);
    } else {
      const { stringify } = await import("yaml");
      ctx.stdout.write(safe.length === 0 ? "[]\n" : stringify(safe));
    }
    return 0;
  },
});
