// `capstan plugin repo index <dir>`: writes <dir>/index.yaml for the packaged plugins in <dir>
// and Artifact Hub metadata per version, so the directory can be served as a plugin repository.
import { defineCommand } from "../../command.js";
import { loadSigningKey, signingOptions } from "./distribution-options.js";

/** `capstan plugin repo index` */
export const pluginRepoIndexCommand = defineCommand({
  name: "plugin repo index",
  args: "<dir>",
  summary: "write index.yaml (and Artifact Hub metadata) for a directory of packaged plugins",
  description:
    "Index every <name>-<version>.tgz in <dir> (and one directory down): name, version, type,\n" +
    "apiVersion, runtime, description, sourceURL, sha256 digest, URL, whether a .prov sits beside\n" +
    "it, and when it was first indexed (kept on re-index). Writes <dir>/index.yaml and\n" +
    "<dir>/<name>/<version>/artifacthub-pkg.yml; --sign also writes <dir>/index.yaml.prov (users\n" +
    "who add the repository are then pinned to that key). Serve <dir> over HTTP(S) and users run\n" +
    "`capstan plugin repo add <name> <url>`.",
  options: [
    {
      flags: "--url <url>",
      description: "absolute base URL of the tarballs (default: relative to index.yaml)",
    },
    {
      flags: "--oci <oci://registry/path>",
      description:
        "entries point at oci://registry/path/<name>:<version> (pushed with `capstan plugin push`)",
    },
    { flags: "--merge <index.yaml>", description: "keep the versions of this older index" },
    {
      flags: "--external-origin <origin>",
      description: "another origin entries may point at (repeatable)",
      repeatable: true,
    },
    { flags: "--provider <name>", description: "publisher name for Artifact Hub (provider.name)" },
    { flags: "--license <spdx>", description: "SPDX license id for Artifact Hub" },
    {
      flags: "--repo-name <name>",
      description: "repository name in the install instructions",
      default: "plugins",
    },
    { flags: "--sign", description: "sign the index (writes index.yaml.prov)" },
    ...signingOptions,
  ],
  async run([dir], opts, ctx) {
    const { buildRepoIndex, printable, writeIndexSignature } = await import("@capstan/distribution");
    // The key is unlocked first, so a wrong passphrase leaves the old index in place.
    const key = opts.sign === true ? await loadSigningKey(opts, ctx, "plugin repo index") : undefined;
    const { resolve } = await import("node:path");
    const str = (k: string) => (opts[k] === undefined ? {} : { [k]: String(opts[k]) });
    const where = resolve(String(dir));
    const r = buildRepoIndex(where, {
      ...str("url"),
      ...str("oci"),
      ...str("merge"),
      ...str("provider"),
      ...str("license"),
      ...str("repoName"),
      externalOrigins: (opts.externalOrigin as string[] | undefined) ?? [],
      env: ctx.env,
    });
    const lists = Object.values(r.index.entries);
    ctx.stdout.write(
      `Indexed ${r.indexed.length} tarball(s): ${lists.length} plugin(s), ${lists.flat().length} version(s) in ${printable(r.file)}\n`,
    );
    if (key)
      ctx.stdout.write(
        `Signed: ${printable(await writeIndexSignature(where, key))} (${printable(key.signer.userId)})\n`,
      );
    return 0;
  },
});
