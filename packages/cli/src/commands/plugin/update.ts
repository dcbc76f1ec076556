// `capstan plugin update <name>... | --all`: fetches each plugin again from the source recorded
// at install, verifies it, and swaps it in; a lower version is refused unless --force.
import { type CapstanError, isCapstanError, terminalText } from "@capstan/manifest";
import { defineCommand } from "../../command.js";
import { settingsFor } from "../../settings.js";
import { UsageError } from "../../usage-error.js";
import {
  registryFlags,
  registryOptions,
  timeoutFlag,
  timeoutOption,
  verifyFlag,
  verifyOptions,
} from "./distribution-options.js";
import { grantsPrinter, grantsPrompt } from "./grants-output.js";

/** `capstan plugin update` */
export const pluginUpdateCommand = defineCommand({
  name: "plugin update",
  args: "[name...]",
  summary: "update installed plugins from their recorded sources",
  description:
    "Fetch each named plugin (or --all) again from where it was installed, verify it like an\n" +
    "install, and replace it atomically. Git and OCI sources move to the highest tag matching\n" +
    "--version (or the constraint given at install); a plugin installed from a repository moves\n" +
    "to the newest version in its refreshed index that matches. --from <repo>/<plugin> switches\n" +
    "a plugin (e.g. installed from a URL) to a repository. Downgrades need --force.",
  options: [
    { flags: "--all", description: "update every plugin installed by capstan in the plugin home" },
    {
      flags: "--version <version>",
      description: "version or SemVer constraint (git and OCI tags, repository index)",
    },
    { flags: "--from <repo/plugin>", description: "update through this plugin repository from now on" },
    { flags: "--force", description: "allow a downgrade or reinstall of the same version" },
    {
      flags: "--accept-grants",
      description: "allow an update that asks for more (hosts, paths, env, ...) than the installed version",
    },
    ...verifyOptions,
    ...registryOptions,
    timeoutOption,
  ],
  async run([names], opts, ctx) {
    const { discoverPlugins, installRecordFor, pluginHome } = await import("@capstan/host");
    const { formatGrants, updatePlugin } = await import("@capstan/distribution");
    const settings = await settingsFor(ctx);
    let list = (names as string[] | undefined) ?? [];
    if (opts.all === true) {
      if (list.length > 0) throw new UsageError("give plugin names or --all, not both", "plugin update");
      const found = await discoverPlugins([pluginHome(settings)]);
      list = [];
      for (const p of found.plugins) {
        const record = (() => {
          try {
            return installRecordFor(p.dir);
          } catch {
            return undefined;
          }
        })();
        if (record === undefined)
          ctx.stdout.write(`Skipped ${p.manifest.name}: no install record (not installed by capstan)\n`);
        else if (record.kind === "dir")
          ctx.stdout.write(`Skipped ${p.manifest.name}: linked directory (development mode)\n`);
        else list.push(p.manifest.name);
      }
    } else if (list.length === 0) {
      throw new UsageError("name the plugins to update, or pass --all", "plugin update");
    }
    if (opts.from !== undefined && list.length !== 1)
      throw new UsageError("--from applies to one plugin at a time", "plugin update");
    const verify = verifyFlag(opts, "plugin update");
    const confirmGrants = grantsPrompt(ctx.stdin, ctx.stderr);
    let failure: CapstanError | undefined;
    for (const name of list) {
      try {
        const r = await updatePlugin(name, {
          settings,
          env: ctx.env,
          verify,
          force: opts.force === true,
          ...(opts.from === undefined ? {} : { from: String(opts.from) }),
          ...(opts.version === undefined ? {} : { version: String(opts.version) }),
          ...(opts.keyring === undefined ? {} : { keyring: String(opts.keyring) }),
          ...registryFlags(opts, ctx),
          ...timeoutFlag(opts),
          ...(opts.acceptGrants === true ? { acceptGrants: true } : {}),
          ...(confirmGrants ? { confirmGrants } : {}),
          onGrants: grantsPrinter(ctx.stdout, formatGrants, "update"),
          log: (line) => ctx.stderr.write(`${line}\n`),
        });
        if ("upToDate" in r) ctx.stdout.write(`${r.name} is up to date (${r.version})\n`);
        else {
          const how = r.provenance
            ? `signed by ${r.provenance.signer}`
            : r.linked
              ? "linked"
              : "not verified";
          ctx.stdout.write(
            `Updated plugin: ${r.name} ${r.previousVersion ?? "?"} -> ${r.version} (${how})\n`,
          );
        }
      } catch (e) {
        // One failing plugin does not stop the others; the first error sets the exit code.
        if (list.length === 1 || !isCapstanError(e)) throw e;
        ctx.stderr.write(terminalText(`error: ${name}: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ""}`));
        failure ??= e;
      }
    }
    return failure?.exitCode ?? 0;
  },
});
