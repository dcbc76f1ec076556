// Flags shared by the distribution commands (package, sign, verify, install, update, push).
import { homedir } from "node:os";
import { join } from "node:path";
import type { CommandContext, OptionSpec } from "../../command.js";
import { parseDuration } from "../../duration.js";
import { UsageError } from "../../usage-error.js";

/** --verify / --allow-insecure-plugins / --keyring, as `helm plugin install` has them. */
export const verifyOptions: OptionSpec[] = [
  {
    flags: "--verify [bool]",
    description: "verify provenance against the keyring (write --verify=false to skip)",
    default: "true",
  },
  {
    flags: "--allow-insecure-plugins",
    description: "install without verification (HIP-0026 alias of --verify=false)",
  },
  {
    flags: "--keyring <path>",
    description:
      "public keyring: pubring.gpg, .asc file or directory ($CAPSTAN_KEYRING, else ~/.gnupg/pubring.gpg)",
  },
];

/** OCI registry flags. */
export const registryOptions: OptionSpec[] = [
  { flags: "--plain-http", description: "use http instead of https for oci:// registries" },
  { flags: "--username <user>", description: "registry user name (or CAPSTAN_REGISTRY_USERNAME)" },
  { flags: "--password <password>", description: "registry password (or CAPSTAN_REGISTRY_PASSWORD)" },
];

/** `--timeout` of install and update: the whole download's deadline (a stall fails after 30 s). */
export const timeoutOption: OptionSpec = {
  flags: "--timeout <duration>",
  description: "time limit of the download, e.g. 30s or 5m (default: none; 30s without any data fails)",
};

/** `{ timeoutMs }` from `--timeout`, or nothing. */
export function timeoutFlag(opts: Record<string, unknown>): { timeoutMs?: number } {
  return opts.timeout === undefined ? {} : { timeoutMs: parseDuration(String(opts.timeout), "--timeout") };
}

/** Signing flags of package and sign (Helm's names). */
export const signingOptions: OptionSpec[] = [
  { flags: "--key <name>", description: "signing key: user-ID substring or fingerprint" },
  {
    flags: "--keyring <path>",
    description: "secret keyring ($CAPSTAN_SIGNING_KEYRING, else ~/.gnupg/secring.gpg)",
  },
  { flags: "--passphrase-file <file>", description: "file holding the key passphrase (- for stdin)" },
];

/** Parses `--verify` (bare flag, true/false) and `--allow-insecure-plugins` into one boolean. */
export function verifyFlag(opts: Record<string, unknown>, command: string): boolean {
  if (opts.allowInsecurePlugins === true) return false;
  const v = opts.verify;
  if (v === undefined || v === true) return true;
  const text = String(v).toLowerCase();
  if (["true", "1", "yes"].includes(text)) return true;
  if (["false", "0", "no"].includes(text)) return false;
  throw new UsageError(`--verify takes true or false, not "${v}" (write --verify=false)`, command);
}

/** Registry options for the host from flags, then the environment. */
export function registryFlags(
  opts: Record<string, unknown>,
  ctx: Pick<CommandContext, "env">,
): { plainHttp?: boolean; username?: string; password?: string } {
  const username = opts.username ?? ctx.env.CAPSTAN_REGISTRY_USERNAME;
  const password = opts.password ?? ctx.env.CAPSTAN_REGISTRY_PASSWORD;
  return {
    ...(opts.plainHttp === true ? { plainHttp: true } : {}),
    ...(username !== undefined ? { username: String(username) } : {}),
    ...(password !== undefined ? { password: String(password) } : {}),
  };
}

/** The secret keyring for signing: --keyring, $CAPSTAN_SIGNING_KEYRING, ~/.gnupg/secring.gpg. */
export function signingKeyring(opts: Record<string, unknown>, ctx: Pick<CommandContext, "env">): string {
  if (opts.keyring !== undefined) return String(opts.keyring);
  return ctx.env.CAPSTAN_SIGNING_KEYRING || join(ctx.env.HOME || homedir(), ".gnupg", "secring.gpg");
}

/**
 * The unlocked signing key selected by --key, --keyring and --passphrase-file. Commands call it
 * before writing anything, so a bad key or passphrase leaves no unsigned output (exit 2).
 */
export async function loadSigningKey(
  opts: Record<string, unknown>,
  ctx: Pick<CommandContext, "env" | "stdin">,
  command: string,
): Promise<import("@capstan/signing").SigningKey> {
  if (opts.key === undefined)
    throw new UsageError("--key is required to sign (a user-ID substring or fingerprint)", command);
  const signing = await import("@capstan/signing");
  return signing.loadSigningKey({
    keyring: signingKeyring(opts, ctx),
    key: String(opts.key),
    passphrase: async () =>
      opts.passphraseFile === undefined
        ? undefined
        : signing.readPassphraseFile(String(opts.passphraseFile), ctx.stdin),
  });
}

/** Signs an archive's bytes with a key from loadSigningKey; returns the .prov text. */
export async function signArchiveBytes(
  bytes: Uint8Array,
  fileName: string,
  key: import("@capstan/signing").SigningKey,
): Promise<string> {
  const signing = await import("@capstan/signing");
  return signing.createProvenance({ tarballBytes: bytes, fileName, signingKey: key });
}
