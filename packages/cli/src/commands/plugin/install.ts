// `capstan plugin install <dir|tgz|url|git-url|oci://...|repo/plugin>`: verified by default; a
// local directory is linked in development mode (never verified, and said so).
import { defineCommand } from "../../command.js";
import { settingsFor } from "../../settings.js";
import {
  registryFlags,
  registryOptions,
  timeoutFlag,
  timeoutOption,
  verifyFlag,
  verifyOptions,
} from "./distribution-options.js";
import { grantsPrinter } from "./grants-output.js";

/** `capstan plugin install` */
export const pluginInstallCommand = defineCommand({
  name: "plugin install",
  args: "<source>",
  summary: "install a plugin from a directory, .tgz, URL, git repository, OCI registry or plugin repository",
  description:
    "Sources: a plugin directory (linked, development mode), a local .tgz (<tgz>.prov beside it),\n" +
    "an http(s) URL to a .tgz (<url>.prov), a git URL (--version is a SemVer constraint over tags;\n" +
    "verified by a signed tag), or oci://registry/repo[:tag] (Helm 4's plugin artifact).\n" +
    "Verification against the keyring is on by default; --verify=false skips it (unsafe).",
  options: [
    {
      flags: "--version <version>",
      description: "version or SemVer constraint (git and OCI tags, repository index)",
    },
    ...verifyOptions,
    ...registryOptions,
    timeoutOption,
  ],
  async run([source], opts, ctx) {
    const { formatGrants, installPlugin } = await import("@capstan/distribution");
    const verify = verifyFlag(opts, "plugin install");
    const r = await installPlugin(String(source), {
      settings: await settingsFor(ctx),
      env: ctx.env,
      verify,
      ...(opts.version === undefined ? {} : { version: String(opts.version) }),
      ...(opts.keyring === undefined ? {} : { keyring: String(opts.keyring) }),
      ...registryFlags(opts, ctx),
      ...timeoutFlag(opts),
      log: (line) => ctx.stderr.write(`${line}\n`),
      onGrants: grantsPrinter(ctx.stdout, formatGrants, "install"),
    });
    ctx.stdout.write(`Installed plugin: ${r.name} ${r.version}\nSource: ${r.source} (${r.kind})\n`);
    if (r.repository) ctx.stdout.write(`Repository: ${r.repository.name} (${r.repository.url})\n`);
    if (r.linked) ctx.stdout.write(`Development mode: linked ${r.dir} -> ${r.source}; not verified\n`);
    else if (r.provenance) {
      const p = r.provenance;
      ctx.stdout.write(
        `Verified: signed by ${p.signer} (fingerprint ${p.fingerprint}, key ${p.keyId}), ${p.hash}\n`,
      );
    } else ctx.stdout.write("Not verified (--verify=false)\n");
    return 0;
  },
});
