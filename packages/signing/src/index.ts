// @capstan/signing: .prov sign/verify, keyrings, keygen (bin: capstan-sign).
export { classifyProvenance, describeProvenance } from "./classify.js";
export { sha256Bytes, sha256File } from "./digest.js";
export type { SignatureCodeValue } from "./errors.js";
export { isSignatureError, SignatureCode, SignatureError } from "./errors.js";
export { describeKey, signerInfo } from "./key-info.js";
export type { GenerateKeyOptions } from "./keygen.js";
export { generateKey } from "./keygen.js";
export type { LoadKeyringOptions } from "./keyring.js";
export {
  exportKeyring,
  isKeybox,
  keyringFromKeys,
  loadKeyring,
  MAX_KEYRING_BYTES,
  writeKeyring,
} from "./keyring.js";
export { buildMessageBlock, parseMessageBlock } from "./message-block.js";
export { readPassphraseFile, readPassphraseStream } from "./passphrase.js";
export { selectSigningKey, unlockSigningKey } from "./select-key.js";
export type { CreateProvenanceOptions, SignTarballOptions } from "./sign.js";
export { createProvenance, signTarball } from "./sign.js";
export type { LoadSigningKeyOptions } from "./signing-key.js";
export { loadSigningKey } from "./signing-key.js";
export type { TarballMetadata } from "./tarball-metadata.js";
export { readTarballMetadata } from "./tarball-metadata.js";
export type {
  ExpectedPlugin,
  GeneratedKey,
  Keyring,
  PackageKind,
  ProvenanceStatus,
  SignerInfo,
  SigningKey,
  VerifyOptions,
  VerifyResult,
} from "./types.js";
export type { VerifyProvenanceOptions, VerifyTarballOptions } from "./verify.js";
export { checkSignerKey, verifyProvenance, verifyTarball } from "./verify.js";
/** The package name (smoke test). */
export const packageName = "@capstan/signing";
