// `capstan plugin repo add <name> <url>`: fetches <url>/index.yaml (with the given credentials
// and TLS files), checks it, caches it and only then records the repository.
import { defineCommand } from "../../command.js";
import { tlsOptions } from "../../tls-options.js";
import { keyringOption, repoContext } from "./repo-options.js";

/** `capstan plugin repo add` */
export const pluginRepoAddCommand = defineCommand({
  name: "plugin repo add",
  args: "<name> <url>",
  summary: "add a plugin repository",
  description:
    "Add the plugin repository served at <url> (its index is <url>/index.yaml) under <name>.\n" +
    "Credentials and the client certificate are sent only to <url>'s own origin. The list is\n" +
    "$CAPSTAN_PLUGIN_REPOSITORY_CONFIG, indexes are cached in $CAPSTAN_PLUGIN_REPOSITORY_CACHE\n" +
    "(`capstan env` shows both). A signed index (index.yaml.prov) is verified against the keyring\n" +
    "and pins the repository to its signer: later indexes must be signed by the same key.",
  options: [
    { flags: "--username <user>", description: "repository user name (basic auth)" },
    { flags: "--password <password>", description: "repository password (basic auth)" },
    ...tlsOptions,
    { flags: "--force-update", description: "replace a repository of the same name" },
    keyringOption,
  ],
  async run([name, url], opts, ctx) {
    const { addRepository, printable } = await import("@capstan/distribution");
    const { resolve } = await import("node:path");
    const file = (k: string) => (opts[k] === undefined ? {} : { [k]: resolve(String(opts[k])) });
    const { repo, index, signer } = await addRepository(
      {
        name: String(name),
        url: String(url),
        ...(opts.username === undefined ? {} : { username: String(opts.username) }),
        ...(opts.password === undefined ? {} : { password: String(opts.password) }),
        ...file("caFile"),
        ...file("certFile"),
        ...file("keyFile"),
        ...(opts.insecureSkipTlsVerify === true ? { insecure_skip_tls_verify: true } : {}),
      },
      { ...(await repoContext(opts, ctx)), forceUpdate: opts.forceUpdate === true },
    );
    ctx.stdout.write(
      `"${repo.name}" has been added to your plugin repositories (${Object.keys(index.entries).length} plugin(s))\n`,
    );
    if (signer)
      ctx.stdout.write(`Index signed by ${printable(signer.userId)} (${signer.fingerprint}); pinned\n`);
    return 0;
  },
});
