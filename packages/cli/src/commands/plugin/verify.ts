// `capstan plugin verify <tgz> [--keyring]`: checks <tgz>.prov like `helm verify`, for a
// plugin tarball or a chart (the .prov format is the same; the metadata is Chart.yaml).
import { terminalText } from "@capstan/manifest";
import { defineCommand } from "../../command.js";

/** `capstan plugin verify` */
export const pluginVerifyCommand = defineCommand({
  name: "plugin verify",
  args: "<tgz>",
  summary: "verify a packaged plugin (or chart) against its .prov and a keyring",
  description:
    "Check <tgz>.prov: a valid signature by a key in the keyring, the archive's digest, and the\n" +
    "signed name/version against the archive's plugin.yaml (or Chart.yaml: charts verify too).\n" +
    "Exit code 5 when any check fails.",
  options: [
    {
      flags: "--keyring <path>",
      description:
        "public keyring: pubring.gpg, .asc file or directory ($CAPSTAN_KEYRING, else ~/.gnupg/pubring.gpg)",
    },
    { flags: "--prov <file>", description: "provenance file (default <tgz>.prov)" },
  ],
  async run([tgz], opts, ctx) {
    const { defaultKeyringPath } = await import("@capstan/host");
    const { loadKeyring, verifyTarball } = await import("@capstan/signing");
    const keyring = await loadKeyring(
      opts.keyring === undefined ? defaultKeyringPath(ctx.env) : String(opts.keyring),
    );
    const r = await verifyTarball(String(tgz), {
      keyring,
      ...(opts.prov === undefined ? {} : { provPath: String(opts.prov) }),
    });
    // Helm's wording: `helm verify` prints "Chart Hash Verified" for a chart.
    const what = r.kind === "chart" ? "Chart" : "Plugin";
    ctx.stdout.write(
      `Signed by: ${terminalText(r.signer.userId)}\nUsing Key With Fingerprint: ${r.signer.fingerprint}\n` +
        `Key ID: ${r.signer.keyId}\n${what} Hash Verified: ${r.hash}\n`,
    );
    return 0;
  },
});
