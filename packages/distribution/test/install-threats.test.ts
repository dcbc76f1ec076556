// Every provenance and archive threat of shared/spec/provenance.md, attempted through
// installPlugin (not only through the signing library): each one is refused with its code and
// message, the plugin home stays empty and the plugin's install hook never runs.
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { resolveSettings } from "@capstan/host";
import { buildMessageBlock, createProvenance, selectSigningKey } from "@capstan/signing";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { installPlugin } from "../src/install/install-plugin.js";
import { sha256Hex } from "../src/install/write-install-record.js";
import { makeKey, makePluginDir, signedArchive, type TestKey, tempDir } from "./helpers/dist-fixtures.js";
import { rawTgz } from "./helpers/raw-tar.js";

const DAY = 86400_000;
const work = tempDir("capstan-threats-");
// Short path: gpg-agent's socket must fit in sun_path.
const gnupg = tempDir("cg-");
const marker = join(work, "hook-ran");
let trusted: TestKey;
let stranger: TestKey;
let expired: TestKey;
let cases = 0;

beforeAll(async () => {
  [trusted, stranger, expired] = await Promise.all([
    makeKey(join(work, "keys"), "Threat Trusted"),
    makeKey(join(work, "keys"), "Threat Stranger"),
    makeKey(join(work, "keys"), "Threat Expired", {
      date: new Date(Date.now() - 2 * DAY),
      expiresInSeconds: 86400,
    }),
  ]);
});

afterAll(() => {
  spawnSync("gpgconf", ["--homedir", gnupg, "--kill", "all"], { stdio: "ignore" });
  rmSync(gnupg, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** A plugin whose install hook would leave a marker: proof that refused archives run nothing. */
function pluginDir(name = "victim", version = "1.0.0"): string {
  return makePluginDir(work, { name, version, hooks: { install: `echo ran >> ${marker}` } });
}

/** A signed archive in a directory of its own. */
function archive(key: TestKey | null, name = "victim", version = "1.0.0") {
  return signedArchive(pluginDir(name, version), join(work, `case-${++cases}`), key);
}

/** Installs `path` into a fresh home and expects a refusal with `code` and `message`. */
async function refused(
  path: string,
  code: string,
  message: RegExp,
  options: { keyring?: string | string[]; env?: Record<string, string> } = {},
): Promise<void> {
  const dir = join(work, `home-${++cases}`);
  mkdirSync(dir);
  const env = { CAPSTAN_PLUGINS: dir, HOME: work, ...options.env };
  const err = await installPlugin(path, {
    settings: resolveSettings(env),
    env,
    keyring: options.keyring ?? trusted.publicFile,
    hookOutput: "pipe",
  }).catch((e: unknown) => e);
  expect(err).toMatchObject({ code, exitCode: 5 });
  expect((err as Error).message).toMatch(message);
  expect(readdirSync(dir)).toEqual([]);
  expect(existsSync(marker)).toBe(false);
}

/** Writes `<path>.prov` for `bytes`, signed by `key` (at `date`, over `metadata` when given). */
async function writeProv(
  path: string,
  bytes: Uint8Array,
  key: TestKey,
  extra: { date?: Date; metadata?: string } = {},
): Promise<void> {
  const signingKey = await selectSigningKey(
    key.secretKeyring,
    key.fingerprint,
    extra.date ? { now: extra.date } : {},
  );
  const fileName = path.slice(path.lastIndexOf("/") + 1);
  writeFileSync(
    `${path}.prov`,
    await createProvenance({ tarballBytes: bytes, fileName, signingKey, ...extra }),
  );
}

/** Clearsigns the .prov body of `tgz` with GnuPG (for algorithms openpgp.js will not make). */
function gpgSign(tgz: string, algo: string, digest: string): string {
  const uid = `Gpg ${algo} <${algo}@example.com>`;
  const gpg = (args: string[], input?: string) =>
    execFileSync(
      "gpg",
      ["--homedir", gnupg, "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", ...args],
      { input, stdio: ["pipe", "pipe", "ignore"] },
    );
  gpg(["--quick-gen-key", uid, algo, "sign", "never"]);
  const body = buildMessageBlock(
    "name: victim\nversion: 1.0.0\n",
    "victim-1.0.0.tgz",
    sha256Hex(readFileSync(tgz)),
  );
  writeFileSync(`${tgz}.prov`, gpg(["--local-user", uid, "--digest-algo", digest, "--clearsign"], body));
  const keyring = join(work, `${algo}.gpg`);
  writeFileSync(keyring, gpg(["--export", uid]));
  return keyring;
}

describe("provenance threats", () => {
  test("tampered tarball -> PROV_DIGEST_MISMATCH", async () => {
    const a = await archive(trusted);
    const bytes = readFileSync(a.path);
    bytes[bytes.length - 30]! ^= 0xff;
    writeFileSync(a.path, bytes);
    await refused(
      a.path,
      "PROV_DIGEST_MISMATCH",
      /^digest mismatch for victim-1\.0\.0\.tgz: .*signed by "Threat Trusted.*the tarball was altered$/,
    );
  });

  test("edited digest in the .prov -> PROV_BAD_SIGNATURE", async () => {
    const a = await archive(trusted);
    const prov = readFileSync(a.provPath, "utf8");
    writeFileSync(
      a.provPath,
      prov.replace(/sha256:([0-9a-f])/, (_m, c: string) => `sha256:${c === "0" ? "1" : "0"}`),
    );
    await refused(
      a.path,
      "PROV_BAD_SIGNATURE",
      /signature by "Threat Trusted.* is not valid .*the \.prov was altered/,
    );
  });

  test("unknown key -> PROV_UNKNOWN_KEY naming the key", async () => {
    const a = await archive(stranger);
    await refused(
      a.path,
      "PROV_UNKNOWN_KEY",
      new RegExp(`signed by key ${stranger.keyId} .*not in the keyring`),
    );
  });

  test("expired key -> PROV_KEY_EXPIRED", async () => {
    const a = await archive(null);
    await writeProv(a.path, a.bytes, expired, { date: new Date(Date.now() - 2 * DAY + 3600_000) });
    await refused(a.path, "PROV_KEY_EXPIRED", /signed by "Threat Expired .*, which expired on \d{4}-/, {
      keyring: expired.publicFile,
    });
  });

  test("revoked key -> PROV_KEY_REVOKED", async () => {
    const a = await archive(trusted);
    const ring = join(work, "revoked-ring");
    mkdirSync(ring);
    writeFileSync(join(ring, "public.asc"), trusted.publicArmored);
    writeFileSync(join(ring, "revocation.asc"), trusted.revocationCertificate);
    await refused(a.path, "PROV_KEY_REVOKED", /signed by "Threat Trusted .*, which is revoked$/, {
      keyring: ring,
    });
  });

  test("SHA-1 signature -> PROV_WEAK_HASH", async () => {
    const a = await archive(null);
    const keyring = gpgSign(a.path, "rsa2048", "SHA1");
    await refused(
      a.path,
      "PROV_WEAK_HASH",
      /is signed with hash SHA1 by "Gpg rsa2048.*SHA-1 and other weak hashes are refused/,
      {
        keyring,
      },
    );
  });

  test("DSA signature -> PROV_WEAK_KEY_ALGORITHM", async () => {
    const a = await archive(null);
    const keyring = gpgSign(a.path, "dsa2048", "SHA256");
    await refused(
      a.path,
      "PROV_WEAK_KEY_ALGORITHM",
      /is signed with DSA by "Gpg dsa2048.*DSA and ElGamal signatures are refused/,
      {
        keyring,
      },
    );
  });

  test("future-dated signature -> PROV_FUTURE_SIGNATURE", async () => {
    const a = await archive(null);
    await writeProv(a.path, a.bytes, trusted, { date: new Date(Date.now() + 3600_000) });
    await refused(
      a.path,
      "PROV_FUTURE_SIGNATURE",
      /has a signature by "Threat Trusted .* dated in the future/,
    );
  });

  test("missing .prov -> PROV_MISSING", async () => {
    const a = await archive(null);
    await refused(
      a.path,
      "PROV_MISSING",
      /^victim-1\.0\.0\.tgz is not signed: no provenance file at .*victim-1\.0\.0\.tgz\.prov$/,
    );
  });

  test("empty .prov -> PROV_EMPTY", async () => {
    const a = await archive(null);
    writeFileSync(a.provPath, "");
    await refused(a.path, "PROV_EMPTY", /^provenance file .*victim-1\.0\.0\.tgz\.prov is empty$/);
  });

  test("renamed tarball -> PROV_FILE_NOT_LISTED", async () => {
    const a = await archive(trusted);
    const renamed = a.path.replace("victim-1.0.0.tgz", "victim-1.0.1.tgz");
    copyFileSync(a.path, renamed);
    copyFileSync(a.provPath, `${renamed}.prov`);
    await refused(
      renamed,
      "PROV_FILE_NOT_LISTED",
      /does not list victim-1\.0\.1\.tgz; it signs victim-1\.0\.0\.tgz \(renamed tarball\?\)/,
    );
  });

  test(".prov of another plugin -> PROV_OTHER_PLUGIN", async () => {
    const a = await archive(trusted);
    const other = await archive(trusted, "other", "1.0.0");
    copyFileSync(other.provPath, a.provPath);
    await refused(
      a.path,
      "PROV_OTHER_PLUGIN",
      /belongs to another plugin: it signs "other" \(other-1\.0\.0\.tgz\), not victim-1\.0\.0\.tgz/,
    );
  });

  test("signed name/version different from the archive's plugin.yaml -> PROV_METADATA_MISMATCH", async () => {
    const a = await archive(null);
    // The digest is right; the signed metadata names another version.
    await writeProv(a.path, a.bytes, trusted, { metadata: "name: victim\nversion: 9.9.9\n" });
    await refused(
      a.path,
      "PROV_METADATA_MISMATCH",
      /signs plugin victim 9\.9\.9, but the tarball's plugin\.yaml is victim 1\.0\.0/,
    );
  });
});

describe("archive threats (validly signed by a trusted key)", () => {
  const yaml = `name: victim\nversion: 1.0.0\nusage: x\ncommand: echo\nhooks:\n  install: "echo ran >> ${marker}"\n`;
  const manifest = { name: "victim/plugin.yaml", data: yaml };

  /** A raw archive with `members`, signed by the trusted key. */
  async function signedRaw(members: Parameters<typeof rawTgz>[0]): Promise<string> {
    const dir = join(work, `raw-${++cases}`);
    mkdirSync(dir);
    const path = join(dir, "victim-1.0.0.tgz");
    const bytes = rawTgz(members);
    writeFileSync(path, bytes);
    await writeProv(path, bytes, trusted);
    return path;
  }

  test("path traversal -> ARCHIVE_UNSAFE", async () => {
    const path = await signedRaw([manifest, { name: "victim/../../evil", data: "x" }]);
    await refused(
      path,
      "ARCHIVE_UNSAFE",
      /refused archive entry "victim\/\.\.\/\.\.\/evil": '\.\.' path segment/,
    );
    expect(existsSync(join(work, "evil"))).toBe(false);
  });

  test("symlink -> ARCHIVE_UNSAFE", async () => {
    const path = await signedRaw([manifest, { name: "victim/link", type: "2", linkname: "/etc/passwd" }]);
    await refused(
      path,
      "ARCHIVE_UNSAFE",
      /refused archive entry "victim\/link": symlink entries are not allowed/,
    );
  });

  test("hardlink -> ARCHIVE_UNSAFE", async () => {
    const path = await signedRaw([
      manifest,
      { name: "victim/hard", type: "1", linkname: "victim/plugin.yaml" },
    ]);
    await refused(
      path,
      "ARCHIVE_UNSAFE",
      /refused archive entry "victim\/hard": hardlink entries are not allowed/,
    );
  });

  test("oversized file (CAPSTAN_MAX_FILE_BYTES) -> ARCHIVE_UNSAFE", async () => {
    const path = await signedRaw([manifest, { name: "victim/big.bin", data: Buffer.alloc(4096) }]);
    await refused(
      path,
      "ARCHIVE_UNSAFE",
      /"victim\/big\.bin": size 4096 exceeds the per-file cap of 1024 bytes/,
      {
        env: { CAPSTAN_MAX_FILE_BYTES: "1024" },
      },
    );
  });

  test("oversized archive file (CAPSTAN_MAX_ARCHIVE_BYTES) -> ARCHIVE_UNSAFE before it is read", async () => {
    const path = await signedRaw([manifest, { name: "victim/big.bin", data: Buffer.alloc(4096, 1) }]);
    await refused(path, "ARCHIVE_UNSAFE", /victim-1\.0\.0\.tgz: \d+ bytes exceed the archive cap of 100$/, {
      env: { CAPSTAN_MAX_ARCHIVE_BYTES: "100" },
    });
  });

  test("too many entries (CAPSTAN_MAX_ARCHIVE_ENTRIES) -> ARCHIVE_UNSAFE", async () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ name: `victim/f${i}`, data: "x" }));
    const path = await signedRaw([manifest, ...files]);
    await refused(path, "ARCHIVE_UNSAFE", /more than 4 entries/, {
      env: { CAPSTAN_MAX_ARCHIVE_ENTRIES: "4" },
    });
  });
});
