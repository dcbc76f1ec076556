// `capstan plugin package [dir] [--sign --key --keyring --passphrase-file] [-d dir]`: writes a
// deterministic <name>-<version>.tgz (and .prov when signing), like `helm plugin package`.
import { writeFile } from "node:fs/promises";
import { defineCommand } from "../../command.js";
import { signArchiveBytes, signingOptions } from "./distribution-options.js";

/** `capstan plugin package` */
export const pluginPackageCommand = defineCommand({
  name: "plugin package",
  args: "[dir]",
  summary: "package a plugin directory into <name>-<version>.tgz",
  description:
    "Validate plugin.yaml and write <name>-<version>.tgz with every file under <name>/.\n" +
    "The archive is byte-identical for identical inputs (sorted entries, mtime 0 or\n" +
    "SOURCE_DATE_EPOCH, owner 0, modes 0644/0755). --sign also writes <tgz>.prov.",
  options: [
    { flags: "-d, --destination <dir>", description: "directory to write the archive into", default: "." },
    { flags: "--sign", description: "sign the archive (writes <tgz>.prov)" },
    ...signingOptions,
  ],
  async run([dir], opts, ctx) {
    const { packagePlugin } = await import("@capstan/distribution");
    const archive = await packagePlugin(String(dir ?? "."), {
      outDir: String(opts.destination ?? "."),
      env: ctx.env,
    });
    ctx.stdout.write(`Successfully packaged plugin and saved it to: ${archive.path}\n`);
    if (opts.sign === true) {
      const prov = await signArchiveBytes(archive.bytes, archive.fileName, opts, ctx, "plugin package");
      await writeFile(`${archive.path}.prov`, prov);
      ctx.stdout.write(`Signed: ${archive.path}.prov\n`);
    }
    ctx.stdout.write(`Digest: ${archive.hash}\n`);
    return 0;
  },
});
