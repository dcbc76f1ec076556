// Provenance state for `capstan plugin list`: never throws, maps each refusal to a column value.
import { isSignatureError, SignatureCode } from "./errors.js";
import type { ProvenanceStatus, VerifyResult } from "./types.js";

const mismatchCodes = new Set<string>([
  SignatureCode.digestMismatch,
  SignatureCode.fileNotListed,
  SignatureCode.otherPlugin,
  SignatureCode.metadataMismatch,
]);

/** Runs a verification (e.g. `() => verifyTarball(tgz, opts)`) and classifies its outcome. */
export async function classifyProvenance(
  verification: () => Promise<VerifyResult>,
): Promise<ProvenanceStatus> {
  try {
    const r = await verification();
    return { status: "trusted", signer: r.signer, hash: r.hash };
  } catch (e) {
    if (!isSignatureError(e)) return { status: "invalid", code: "UNKNOWN", reason: (e as Error).message };
    const keyId = /\bkey ([0-9A-F]{16})\b/.exec(e.message)?.[1];
    if (e.code === SignatureCode.provMissing) return { status: "unsigned", code: e.code, reason: e.message };
    if (e.code === SignatureCode.unknownKey)
      return { status: "unknown-key", keyId: keyId ?? "?", code: e.code, reason: e.message };
    const status = mismatchCodes.has(e.code) ? "mismatched" : "invalid";
    return keyId === undefined
      ? { status, code: e.code, reason: e.message }
      : { status, code: e.code, reason: e.message, keyId };
  }
}

/** Short text for the PROVENANCE column, e.g. `signed (Jane <j@x>)`, `unknown key 0123...`. */
export function describeProvenance(s: ProvenanceStatus): string {
  switch (s.status) {
    case "trusted":
      return `signed (${s.signer.userId})`;
    case "unknown-key":
      return `unknown key ${s.keyId}`;
    case "unsigned":
      return "unsigned";
    case "invalid":
      return `invalid (${s.code})`;
    case "mismatched":
      return `mismatched (${s.code})`;
  }
}
