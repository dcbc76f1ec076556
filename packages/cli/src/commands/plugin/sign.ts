// `capstan plugin sign <tgz> --key <name> [--keyring] [--passphrase-file]`: writes <tgz>.prov.
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { CapstanError, ExitCode } from "@capstan/manifest";
import { defineCommand } from "../../command.js";
import { loadSigningKey, signArchiveBytes, signingOptions } from "./distribution-options.js";

/** `capstan plugin sign` */
export const pluginSignCommand = defineCommand({
  name: "plugin sign",
  args: "<tgz>",
  summary: "sign a packaged plugin (writes <tgz>.prov)",
  description:
    "Clearsign the archive's plugin metadata and SHA-256 digest with an OpenPGP key (SHA-512),\n" +
    "in the .prov format Helm uses. The signed metadata is read from the archive's plugin.yaml.",
  options: signingOptions,
  async run([tgz], opts, ctx) {
    const path = String(tgz);
    const key = await loadSigningKey(opts, ctx, "plugin sign");
    const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw new CapstanError("TARBALL_UNREADABLE", `cannot read ${path}: ${e.code ?? e.message}`, {
        exitCode: ExitCode.notFound,
        hint: "package the plugin first: `capstan plugin package <dir>`",
      });
    });
    const prov = await signArchiveBytes(bytes, basename(path), key);
    await writeFile(`${path}.prov`, prov);
    ctx.stdout.write(`Signed: ${path}.prov\n`);
    return 0;
  },
});
