// `capstan plugin package [dir] [--sign --key --keyring --passphrase-file] [-d dir]`: writes a
// deterministic <name>-<version>.tgz (and .prov when signing), like `helm plugin package`.
// With --sign, the key is loaded and unlocked before anything is built or written.
import { terminalText } from "@capstan/manifest";
import { defineCommand } from "../../command.js";
import { loadSigningKey, signArchiveBytes, signingOptions } from "./distribution-options.js";
import { formatPackedFiles } from "./packed-files.js";

/** `capstan plugin package` */
export const pluginPackageCommand = defineCommand({
  name: "plugin package",
  args: "[dir]",
  summary: "package a plugin directory into <name>-<version>.tgz",
  description:
    "Validate plugin.yaml and write <name>-<version>.tgz with every file under <name>/.\n" +
    "The archive is byte-identical for identical inputs (sorted entries, mtime 0 or\n" +
    "SOURCE_DATE_EPOCH, owner 0, modes 0644/0755). --sign also writes <tgz>.prov.\n" +
    "Files matched by the directory's .helmignore (gitignore syntax, like Helm's) are left out;\n" +
    "without one every file is packed, with a warning. The packed files are listed with sizes.",
  options: [
    { flags: "-d, --destination <dir>", description: "directory to write the archive into", default: "." },
    { flags: "--sign", description: "sign the archive (writes <tgz>.prov)" },
    ...signingOptions,
  ],
  async run([dir], opts, ctx) {
    (await import("../../version-agreement.js")).checkVersionAgreement(String(dir ?? "."));
    const key = opts.sign === true ? await loadSigningKey(opts, ctx, "plugin package") : undefined;
    const { buildPluginArchive, writePluginArchive } = await import("@capstan/distribution");
    const archive = await buildPluginArchive(String(dir ?? "."), { env: ctx.env });
    const prov = key === undefined ? undefined : await signArchiveBytes(archive.bytes, archive.fileName, key);
    if (archive.ignoreFile === undefined) {
      ctx.stderr.write(
        `warning: ${terminalText(archive.loaded.dir)} has no .helmignore: packing every file in it; ` +
          "add one (gitignore syntax) to leave out sources, tests and node_modules\n",
      );
    }
    const written = writePluginArchive(archive, String(opts.destination ?? "."), prov);
    ctx.stdout.write(formatPackedFiles(archive.files, archive.bytes.length));
    ctx.stdout.write(`Successfully packaged plugin and saved it to: ${written.path}\n`);
    if (prov !== undefined) ctx.stdout.write(`Signed: ${written.path}.prov\n`);
    ctx.stdout.write(`Digest: ${archive.hash}\n`);
    return 0;
  },
});
