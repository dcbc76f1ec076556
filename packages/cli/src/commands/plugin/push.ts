// `capstan plugin push <tgz> oci://registry/repo[:tag]`: uploads the archive and its .prov as
// the OCI artifact Helm 4 installs plugins from.
import { defineCommand } from "../../command.js";
import { registryFlags, registryOptions } from "./distribution-options.js";

/** `capstan plugin push` */
export const pluginPushCommand = defineCommand({
  name: "plugin push",
  args: "<tgz> <ref>",
  summary: "push a packaged plugin (and its .prov) to an OCI registry",
  description:
    "Upload <tgz> and <tgz>.prov as layers titled by their file names under a manifest with\n" +
    "artifactType application/vnd.helm.plugin.v1+json. The plugin name is appended to the\n" +
    "repository unless it already ends with it; the tag is the version.",
  options: registryOptions,
  async run([tgz, ref], opts, ctx) {
    const { pushPlugin } = await import("@capstan/distribution");
    const r = await pushPlugin(String(tgz), String(ref), registryFlags(opts, ctx));
    ctx.stdout.write(
      `Pushed: ${r.ref}\nDigest: ${r.digest}\n${r.signed ? "Provenance: pushed\n" : "Provenance: none (unsigned)\n"}`,
    );
    return 0;
  },
});
