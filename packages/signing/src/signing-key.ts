// Loading the key a signer asked for, as one step that runs BEFORE anything is written: the
// secret keyring, the key selection and the passphrase are checked up front, so a typo in
// --key or a wrong passphrase leaves no unsigned archive behind. These failures are the
// signer's configuration, not a failed verification, so they exit with `ExitCode.usage`.
import { ExitCode } from "@capstan/manifest";
import { isSignatureError, SignatureError } from "./errors.js";
import { loadKeyring } from "./keyring.js";
import { selectSigningKey, unlockSigningKey } from "./select-key.js";
import type { SigningKey } from "./types.js";

/** Options of loadSigningKey. */
export interface LoadSigningKeyOptions {
  /** Secret keyring: secring.gpg, private.asc or a directory of key files (or several). */
  keyring: string | readonly string[];
  /** User-ID substring (Helm's rule), fingerprint or key id. */
  key: string;
  /** The passphrase, or a function reading it (called only after the key was found). */
  passphrase?: string | (() => Promise<string | undefined>);
  /** Time the key must be valid at (default now). */
  now?: Date;
}

/** Loads the secret keyring, selects `key` and unlocks it; SignatureErrors exit `ExitCode.usage`. */
export async function loadSigningKey(options: LoadSigningKeyOptions): Promise<SigningKey> {
  try {
    const keyring = await loadKeyring(options.keyring, { secret: true });
    const selected = await selectSigningKey(keyring, options.key, {
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    const passphrase =
      typeof options.passphrase === "function" ? await options.passphrase() : options.passphrase;
    return await unlockSigningKey(selected, passphrase);
  } catch (e) {
    if (!isSignatureError(e) || e.exitCode === ExitCode.usage) throw e;
    throw new SignatureError(e.code, e.message, {
      ...(e.hint === undefined ? {} : { hint: e.hint }),
      cause: e.cause ?? e,
      exitCode: ExitCode.usage,
    });
  }
}
