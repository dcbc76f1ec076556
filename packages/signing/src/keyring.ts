// Keyrings: GnuPG binary keyrings (pubring.gpg/secring.gpg, what Helm requires), ASCII-armored
// key files (several blocks per file allowed), standalone revocation certificates, or a
// directory of such files. GnuPG 2's keybox (pubring.kbx) is detected and explained.
import { open, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Key } from "openpgp";
import * as openpgp from "openpgp";
import { SignatureCode, SignatureError } from "./errors.js";
import { splitKeyBlocks } from "./packets.js";
import type { Keyring } from "./types.js";

const keyFileExtensions = /\.(gpg|asc|pgp|key|pub|sec|kbx)$/i;
const kbxHint =
  "GnuPG 2 keeps keys in pubring.kbx, which is not readable here: run `gpg --export > pubring.gpg` (and `gpg --export-secret-keys > secring.gpg` to sign) and pass that file";

/** True when bytes are a GnuPG keybox (pubring.kbx): bytes 8..11 are `KBXf`. */
export function isKeybox(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 12 && bytes[8] === 0x4b && bytes[9] === 0x42 && bytes[10] === 0x58 && bytes[11] === 0x66
  );
}

/** GnuPG's trustdb.gpg sits next to keyrings in ~/.gnupg; it is not a keyring. */
function isTrustDb(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 1 && bytes[1] === 0x67 && bytes[2] === 0x70 && bytes[3] === 0x67;
}

/** Largest keyring file read (a pubring of thousands of keys is a few MiB); larger is refused. */
export const MAX_KEYRING_BYTES = 64 * 1024 * 1024;

/**
 * The bytes of a keyring file; undefined for a non-regular file in a directory (skipped).
 * `--keyring /dev/zero` (or a FIFO) would otherwise be read until memory runs out.
 */
async function readKeyFile(file: string, inDirectory: boolean): Promise<Uint8Array | undefined> {
  const st = await stat(file);
  if (!st.isFile()) {
    if (inDirectory) return undefined;
    throw new SignatureError(SignatureCode.keyringUnreadable, `keyring ${file} is not a regular file`, {
      hint: "pass --keyring <pubring.gpg|key.asc|dir> naming a key file or a directory of them",
    });
  }
  const tooBig = () =>
    new SignatureError(
      SignatureCode.keyringUnreadable,
      `keyring ${file} is larger than the cap of ${MAX_KEYRING_BYTES} bytes`,
      { hint: "export only the keys you trust: `gpg --export <key-id>... > trusted.gpg`" },
    );
  if (st.size > MAX_KEYRING_BYTES) throw tooBig();
  const handle = await open(file, "r");
  try {
    // Read at most one byte past the cap: a file growing after stat is still bounded.
    const buf = Buffer.alloc(Math.min(st.size, MAX_KEYRING_BYTES) + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n === buf.length) {
        if (n > MAX_KEYRING_BYTES) throw tooBig();
        break;
      }
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    await handle.close();
  }
}

/** Options of loadKeyring. */
export interface LoadKeyringOptions {
  /** The keyring is for signing: hints name secret-key exports (default false: verifying). */
  secret?: boolean;
}

/** What to run to get a keyring, for the hints of a missing or empty one. */
function exportHint(secret: boolean, flag: string): string {
  return secret
    ? `pass ${flag} <secring.gpg|private.asc|dir> holding your secret key: \`gpg --export-secret-keys <key-id> > secring.gpg\`, or create one with \`capstan-sign keygen\``
    : `pass ${flag} <pubring.gpg|key.asc|dir> (export one with \`gpg --export > pubring.gpg\`)`;
}

/** Loads a keyring from one path or several (files or directories), merging keys by fingerprint. */
export async function loadKeyring(
  pathOrPaths: string | readonly string[],
  options: LoadKeyringOptions = {},
): Promise<Keyring> {
  const secret = options.secret === true;
  const paths = typeof pathOrPaths === "string" ? [pathOrPaths] : [...pathOrPaths];
  const files: string[] = [];
  // In a directory, files that hold no keys (detached signatures, notes) are skipped.
  const fromDirectory = new Set<string>();
  for (const p of paths) {
    const st = await stat(p).catch(() => undefined);
    if (st === undefined) {
      throw new SignatureError(
        SignatureCode.keyringMissing,
        `${secret ? "secret keyring" : "keyring"} ${p} does not exist`,
        { hint: exportHint(secret, "--keyring") },
      );
    }
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => keyFileExtensions.test(n)).sort();
      files.push(...names.map((n) => join(p, n)));
      for (const n of names) fromDirectory.add(join(p, n));
    } else {
      files.push(p);
    }
  }
  const keys: Key[] = [];
  const revocations: string[] = [];
  const sources: string[] = [];
  let keyboxes = 0;
  for (const file of files) {
    const bytes = await readKeyFile(file, fromDirectory.has(file));
    if (bytes === undefined) continue;
    if (isKeybox(bytes)) {
      if (files.length === 1)
        throw new SignatureError(SignatureCode.keyringKbx, `keyring ${file} is a GnuPG keybox (.kbx)`, {
          hint: kbxHint,
        });
      keyboxes++;
      continue;
    }
    if (isTrustDb(bytes)) continue;
    const parsed = await parseKeyFile(bytes, file, secret).catch((e: unknown) => {
      if (fromDirectory.has(file)) return { keys: [], revocations: [] };
      throw e;
    });
    keys.push(...parsed.keys);
    revocations.push(...parsed.revocations);
    if (parsed.keys.length > 0 || parsed.revocations.length > 0) sources.push(file);
  }
  if (keys.length === 0) {
    if (keyboxes > 0)
      throw new SignatureError(
        SignatureCode.keyringKbx,
        `keyring ${paths.join(", ")} holds only GnuPG keybox files`,
        { hint: kbxHint },
      );
    throw new SignatureError(
      SignatureCode.keyringUnreadable,
      `keyring ${paths.join(", ")} contains no OpenPGP keys`,
      { hint: exportHint(secret, "--keyring") },
    );
  }
  const merged = await mergeKeys(keys);
  return { keys: await applyRevocations(merged, revocations), sources };
}

/** Builds a keyring from armored or binary key material already in memory. */
export async function keyringFromKeys(material: readonly (string | Uint8Array | Key)[]): Promise<Keyring> {
  const keys: Key[] = [];
  const revocations: string[] = [];
  for (const m of material) {
    if (typeof m === "string" || m instanceof Uint8Array || ArrayBuffer.isView(m)) {
      const parsed = await parseKeyFile(
        typeof m === "string" ? new TextEncoder().encode(m) : (m as Uint8Array),
        "<memory>",
      );
      keys.push(...parsed.keys);
      revocations.push(...parsed.revocations);
    } else {
      keys.push(m);
    }
  }
  return { keys: await applyRevocations(await mergeKeys(keys), revocations), sources: [] };
}

async function parseKeyFile(
  bytes: Uint8Array,
  file: string,
  secret = false,
): Promise<{ keys: Key[]; revocations: string[] }> {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  const unreadable = (why: string, cause?: unknown) =>
    new SignatureError(SignatureCode.keyringUnreadable, `keyring ${file} is not readable: ${why}`, {
      hint: secret
        ? "export your secret key with `gpg --export-secret-keys <key-id> > secring.gpg` or `gpg --armor --export-secret-keys <key-id> > private.asc`"
        : "export keys with `gpg --export > pubring.gpg` or `gpg --armor --export > keys.asc`",
      cause,
    });
  if (head.includes("-----BEGIN PGP")) {
    const text = new TextDecoder().decode(bytes);
    const blocks = text.match(/-----BEGIN PGP ([A-Z ]+)-----[\s\S]*?-----END PGP \1-----/g) ?? [];
    const keys: Key[] = [];
    const revocations: string[] = [];
    for (const block of blocks) {
      if (!/^-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK/.test(block)) continue;
      try {
        keys.push(...(await openpgp.readKeys({ armoredKeys: block })));
      } catch (e) {
        // A lone revocation certificate (gpg's openpgp-revocs.d/*.rev, openpgp's
        // revocationCertificate) is a PUBLIC KEY BLOCK with only a signature in it.
        if (await isRevocationCertificate(block)) revocations.push(block);
        else throw unreadable((e as Error).message, e);
      }
    }
    if (keys.length === 0 && revocations.length === 0) throw unreadable("no PGP key block found");
    return { keys, revocations };
  }
  try {
    return { keys: await openpgp.readKeys({ binaryKeys: bytes }), revocations: [] };
  } catch (whole) {
    // Old keyrings may hold keys openpgp.js refuses (v3 keys, odd algorithms): read key by
    // key so one bad entry does not hide the others.
    const keys: Key[] = [];
    let blocks: Uint8Array[];
    try {
      blocks = splitKeyBlocks(bytes);
    } catch (e) {
      throw unreadable((e as Error).message, whole);
    }
    for (const block of blocks) {
      try {
        keys.push(...(await openpgp.readKeys({ binaryKeys: block })));
      } catch {
        // skipped: unsupported key
      }
    }
    if (keys.length === 0) throw unreadable((whole as Error).message, whole);
    return { keys, revocations: [] };
  }
}

async function isRevocationCertificate(armored: string): Promise<boolean> {
  try {
    const { data } = await openpgp.unarmor(armored);
    const bytes = await readAll(data as unknown as ReadableStream<Uint8Array> | Uint8Array);
    const list = await openpgp.PacketList.fromBinary(bytes, {
      [openpgp.enums.packet.signature]: openpgp.SignaturePacket,
    } as never);
    return (
      list.length > 0 &&
      list.every(
        (p) => (p as openpgp.SignaturePacket).signatureType === openpgp.enums.signature.keyRevocation,
      )
    );
  } catch {
    return false;
  }
}

async function readAll(data: ReadableStream<Uint8Array> | Uint8Array): Promise<Uint8Array> {
  if (ArrayBuffer.isView(data)) return data as Uint8Array;
  const chunks: Uint8Array[] = [];
  const reader = (data as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function mergeKeys(keys: readonly Key[]): Promise<Key[]> {
  const byFpr = new Map<string, Key>();
  for (const key of keys) {
    const fpr = key.getFingerprint();
    const prev = byFpr.get(fpr);
    if (prev === undefined) {
      byFpr.set(fpr, key);
      continue;
    }
    // Keep the secret key as the base (it can sign), fold in the other copy's signatures
    // (new user IDs, revocations, expiry updates).
    const [base, other] = key.isPrivate() && !prev.isPrivate() ? [key, prev] : [prev, key];
    try {
      byFpr.set(fpr, await base.update(other as never));
    } catch {
      byFpr.set(fpr, base);
    }
  }
  return [...byFpr.values()];
}

async function applyRevocations(keys: Key[], revocations: readonly string[]): Promise<Key[]> {
  if (revocations.length === 0) return keys;
  const out: Key[] = [];
  for (let key of keys) {
    for (const cert of revocations) {
      try {
        const r = await openpgp.revokeKey({
          key: key as openpgp.PrivateKey,
          revocationCertificate: cert,
          format: "object",
        });
        key = key.isPrivate() && r.privateKey !== null ? r.privateKey : r.publicKey;
      } catch {
        // certificate for another key
      }
    }
    out.push(key);
  }
  return out;
}

/** Serializes keys as a GnuPG binary keyring (concatenated transferable keys, like `gpg --export`). */
export function exportKeyring(
  keys: Keyring | readonly Key[],
  options: { secret?: boolean } = {},
): Uint8Array {
  const list: readonly Key[] = isKeyList(keys) ? keys : keys.keys;
  const parts = list
    .filter((k) => !options.secret || k.isPrivate())
    .map((k) => (options.secret ? k.write() : k.isPrivate() ? k.toPublic().write() : k.write()));
  return Buffer.concat(parts);
}

/** Writes a GnuPG binary keyring file (pubring.gpg, or secring.gpg with `secret: true`) for Helm. */
export async function writeKeyring(
  path: string,
  keys: Keyring | readonly Key[],
  options: { secret?: boolean } = {},
): Promise<void> {
  await writeFile(path, exportKeyring(keys, options), { mode: options.secret ? 0o600 : 0o644 });
}

function isKeyList(k: Keyring | readonly Key[]): k is readonly Key[] {
  return Array.isArray(k);
}
