// Every refusal of the signing package is a SignatureError with a stable code per reason, so
// the CLI, `plugin list` and tests can tell the threats apart without parsing messages.
import { CapstanError, ExitCode, type ExitCodeValue } from "@capstan/manifest";

/** Stable error codes, one per verification rule (see docs/provenance.md). */
export const SignatureCode = {
  provMissing: "PROV_MISSING",
  provEmpty: "PROV_EMPTY",
  provMalformed: "PROV_MALFORMED",
  badSignature: "PROV_BAD_SIGNATURE",
  unknownKey: "PROV_UNKNOWN_KEY",
  keyExpired: "PROV_KEY_EXPIRED",
  keyRevoked: "PROV_KEY_REVOKED",
  weakHash: "PROV_WEAK_HASH",
  weakKeyAlgorithm: "PROV_WEAK_KEY_ALGORITHM",
  futureSignature: "PROV_FUTURE_SIGNATURE",
  digestMismatch: "PROV_DIGEST_MISMATCH",
  fileNotListed: "PROV_FILE_NOT_LISTED",
  otherPlugin: "PROV_OTHER_PLUGIN",
  metadataMismatch: "PROV_METADATA_MISMATCH",
  keyringMissing: "KEYRING_MISSING",
  keyringKbx: "KEYRING_KBX",
  keyringUnreadable: "KEYRING_UNREADABLE",
  keyNotFound: "KEY_NOT_FOUND",
  keyAmbiguous: "KEY_AMBIGUOUS",
  keyNotSecret: "KEY_NOT_SECRET",
  keyUnusable: "KEY_UNUSABLE",
  passphraseRequired: "PASSPHRASE_REQUIRED",
  passphraseWrong: "PASSPHRASE_WRONG",
  tarballUnreadable: "TARBALL_UNREADABLE",
  metadataInvalid: "METADATA_INVALID",
} as const;
/** One of the {@link SignatureCode} values. */
export type SignatureCodeValue = (typeof SignatureCode)[keyof typeof SignatureCode];

/**
 * A signing or verification failure; exit code `ExitCode.verification` unless `exitCode` says
 * otherwise (a signer's missing key or wrong passphrase is a usage error, `ExitCode.usage`).
 */
export class SignatureError extends CapstanError {
  declare readonly code: SignatureCodeValue;
  constructor(
    code: SignatureCodeValue,
    message: string,
    options: { hint?: string; cause?: unknown; exitCode?: ExitCodeValue } = {},
  ) {
    super(code, message, { ...options, exitCode: options.exitCode ?? ExitCode.verification });
  }
}

/** Recognizes a SignatureError across realms (jest vm, duplicated bundles). */
export function isSignatureError(e: unknown): e is SignatureError {
  return e instanceof Error && typeof (e as SignatureError).code === "string" && e.name === "SignatureError";
}
