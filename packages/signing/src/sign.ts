// Creating .prov files: clearsign (SHA-512) the metadata + files block, Helm's layout.
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import type { PrivateKey } from "openpgp";
import * as openpgp from "openpgp";
import { armorCleartext, signatureArmor, signaturePackets } from "./cleartext.js";
import { sha256Bytes, sha256File } from "./digest.js";
import { SignatureCode, SignatureError } from "./errors.js";
import { buildMessageBlock, metadataToYaml } from "./message-block.js";
import { selectSigningKey, unlockSigningKey } from "./select-key.js";
import { readTarballMetadata } from "./tarball-metadata.js";
import type { Keyring, SigningKey } from "./types.js";

/** Inputs of createProvenance: the tarball (path, or bytes plus file name), metadata and key. */
export interface CreateProvenanceOptions {
  tarballPath?: string;
  tarballBytes?: Uint8Array;
  /** Key under `files:`; default: base name of tarballPath. */
  fileName?: string;
  /** plugin.yaml as an object or YAML text; default: read from the tarball. */
  metadata?: Record<string, unknown> | string;
  /** Decrypted secret key (or the result of selectSigningKey + unlockSigningKey). */
  signingKey: PrivateKey | SigningKey;
  /** Signature creation time (default now). */
  date?: Date;
}

/** Returns the armored .prov text for a tarball. */
export async function createProvenance(options: CreateProvenanceOptions): Promise<string> {
  const { tarballPath, tarballBytes } = options;
  if (tarballPath === undefined && tarballBytes === undefined)
    throw new TypeError("createProvenance needs tarballPath or tarballBytes");
  const fileName = options.fileName ?? (tarballPath === undefined ? undefined : basename(tarballPath));
  if (fileName === undefined || fileName === "" || fileName.includes("/"))
    throw new TypeError("createProvenance needs a tarball base name (fileName)");
  const digest =
    tarballBytes !== undefined ? sha256Bytes(tarballBytes) : await sha256File(tarballPath as string);
  const metadata =
    options.metadata !== undefined
      ? metadataToYaml(options.metadata)
      : (
          await readTarballMetadata(
            (tarballBytes ?? tarballPath) as string | Uint8Array,
            tarballPath ?? fileName,
          )
        ).yaml;
  const key = "signer" in options.signingKey ? options.signingKey.key : options.signingKey;
  if (!key.isDecrypted()) {
    throw new SignatureError(
      SignatureCode.passphraseRequired,
      `secret key ${key.getKeyID().toHex().toUpperCase()} is still locked`,
      {
        hint: "unlock it with unlockSigningKey(key, passphrase) first",
      },
    );
  }
  // Helm's files end the signed text without a trailing newline (the line break before the
  // signature armor belongs to the armor).
  const text = buildMessageBlock(metadata, fileName, digest).replace(/\n+$/, "");
  const message = await openpgp.createCleartextMessage({ text });
  const signed = await openpgp.sign({
    message,
    signingKeys: key,
    format: "object",
    ...(options.date === undefined ? {} : { date: options.date }),
    config: { preferredHashAlgorithm: openpgp.enums.hash.sha512 },
  });
  // The spec fixes SHA-512; openpgp.js may pick another hash for some keys, so check.
  const packets = signaturePackets(signed);
  for (const p of packets) {
    if (p.hashAlgorithm !== openpgp.enums.hash.sha512) {
      throw new SignatureError(
        SignatureCode.keyUnusable,
        `key ${key.getKeyID().toHex().toUpperCase()} cannot make SHA-512 signatures`,
        {
          hint: "use an Ed25519 or RSA >= 3072 key (`capstan-sign keygen`)",
        },
      );
    }
  }
  // openpgp.js armors the body with CRLF; write it with LF like gpg and Helm do. Both line
  // endings verify the same (cleartext signatures hash canonical CRLF text).
  const armored = armorCleartext(text, signatureArmor(signed));
  return armored;
}

/** Options of signTarball: a key already loaded (loadSigningKey), or a keyring and a selector. */
export interface SignTarballOptions {
  /** The unlocked key (from loadSigningKey); when set, keyring/key/passphrase are not used. */
  signingKey?: SigningKey;
  keyring?: Keyring;
  /** User-ID substring (Helm's rule), fingerprint or key id. */
  key?: string;
  passphrase?: string;
  metadata?: Record<string, unknown> | string;
  /** Output path; default `<tgz>.prov`. */
  out?: string;
  date?: Date;
}

/** Signs `tgzPath` and writes `<tgz>.prov` (or `out`); returns the .prov path. */
export async function signTarball(tgzPath: string, options: SignTarballOptions): Promise<string> {
  const bytes = await readFile(tgzPath).catch((e: NodeJS.ErrnoException) => {
    throw new SignatureError(
      SignatureCode.tarballUnreadable,
      `cannot read tarball ${tgzPath}: ${e.code ?? e.message}`,
      {
        hint: "package the plugin first: `capstan plugin package <dir>`",
        cause: e,
      },
    );
  });
  const unlocked = options.signingKey ?? (await selectAndUnlock(options));
  const prov = await createProvenance({
    tarballBytes: new Uint8Array(bytes),
    fileName: basename(tgzPath),
    signingKey: unlocked,
    ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    ...(options.date === undefined ? {} : { date: options.date }),
  });
  const out = options.out ?? `${tgzPath}.prov`;
  await writeFile(out, prov);
  return out;
}

async function selectAndUnlock(options: SignTarballOptions): Promise<SigningKey> {
  if (options.keyring === undefined || options.key === undefined)
    throw new TypeError("signTarball needs signingKey, or keyring and key");
  const selected = await selectSigningKey(
    options.keyring,
    options.key,
    options.date === undefined ? {} : { now: options.date },
  );
  return unlockSigningKey(selected, options.passphrase);
}
