// Every verification rule of shared/spec/provenance.md as an attack, with the expected refusal.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  buildMessageBlock,
  createProvenance,
  type GeneratedKey,
  generateKey,
  type Keyring,
  keyringFromKeys,
  loadKeyring,
  MAX_KEYRING_BYTES,
  sha256File,
  signTarball,
  verifyTarball,
} from "@capstan/signing";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import * as openpgp from "openpgp";
import { Gpg } from "./helpers/gpg.js";
import { makePluginTarball } from "./helpers/plugin-tarball.js";

let gpg: Gpg;
let dir: string;
let trusted: GeneratedKey;
let stranger: GeneratedKey;
let signKeyring: Keyring;
let verifyKeyring: Keyring;
let n = 0;

beforeAll(async () => {
  gpg = new Gpg();
  dir = gpg.home;
  trusted = await generateKey({ name: "Trusted Author", email: "author@example.com" });
  stranger = await generateKey({ name: "Stranger", email: "stranger@example.com" });
  signKeyring = await keyringFromKeys([trusted.privateKeyArmored, stranger.privateKeyArmored]);
  verifyKeyring = await keyringFromKeys([trusted.publicKeyArmored]);
});
afterAll(() => gpg.close());

/** A fresh signed tarball `<name>-<version>.tgz` (+ .prov) in its own directory. */
async function signed(name = "foo", version = "1.0.0", key = "Trusted Author"): Promise<string> {
  const sub = join(dir, `case-${n++}`);
  (await import("node:fs")).mkdirSync(sub);
  const tgz = makePluginTarball(sub, name, version);
  await signTarball(tgz, { keyring: signKeyring, key });
  return tgz;
}

async function refusal(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; hint: string; exitCode: number }> {
  const e = await p.then(
    () => {
      throw new Error("verification unexpectedly succeeded");
    },
    (err: unknown) => err,
  );
  return e as { code: string; message: string; hint: string; exitCode: number };
}

/** A fresh foo-1.0.0.tgz in `dir/<name>` whose .prov gpg clearsigned with key `fpr` and `digest`. */
async function gpgSignedTarball(name: string, fpr: string, digest: string): Promise<string> {
  const sub = join(dir, name);
  (await import("node:fs")).mkdirSync(sub);
  const tgz = makePluginTarball(sub, "foo", "1.0.0");
  const body = `${tgz}.prov.body`;
  writeFileSync(
    body,
    buildMessageBlock("name: foo\nversion: 1.0.0\n", "foo-1.0.0.tgz", await sha256File(tgz)),
  );
  gpg.run(["--local-user", fpr, "--digest-algo", digest, "--clearsign", "-o", `${tgz}.prov`, body]);
  return tgz;
}

test("baseline: an untouched tarball verifies", async () => {
  const r = await verifyTarball(await signed(), { keyring: verifyKeyring });
  expect(r.signer.fingerprint).toBe(trusted.fingerprint);
});

describe("refusals", () => {
  test("tampered tarball -> PROV_DIGEST_MISMATCH naming the file and the key", async () => {
    const tgz = await signed();
    const evil = makePluginTarball(join(dir, "evil-src"), "foo", "1.0.0", "evil payload");
    copyFileSync(evil, tgz);
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_DIGEST_MISMATCH");
    expect(e.exitCode).toBe(5);
    expect(e.message).toMatch(
      /^digest mismatch for foo-1\.0\.0\.tgz: the tarball is sha256:[0-9a-f]{64} but .* lists sha256:[0-9a-f]{64}; the tarball was altered/,
    );
    expect(e.message).toContain(`"Trusted Author <author@example.com>" (key ${trusted.keyId}`);
  });

  test("edited digest in the .prov -> PROV_BAD_SIGNATURE", async () => {
    const tgz = await signed();
    const prov = readFileSync(`${tgz}.prov`, "utf8");
    writeFileSync(
      `${tgz}.prov`,
      prov.replace(/sha256:([0-9a-f])/, (_m, c: string) => `sha256:${c === "0" ? "1" : "0"}`),
    );
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_BAD_SIGNATURE");
    expect(e.message).toMatch(
      /signature by "Trusted Author <author@example.com>" \(key [0-9A-F]{16}.*is not valid .*the \.prov was altered or not made by this key/,
    );
  });

  test("text outside the armor is ignored: a forged files: block before/after the signature does not help", async () => {
    const tgz = await signed();
    const evil = makePluginTarball(join(dir, "evil-src2"), "foo", "1.0.0", "evil 2");
    copyFileSync(evil, tgz);
    const forged = `files:\n  foo-1.0.0.tgz: sha256:${await sha256File(tgz)}\n`;
    writeFileSync(`${tgz}.prov`, `${forged}\n${readFileSync(`${tgz}.prov`, "utf8")}\n${forged}`);
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_DIGEST_MISMATCH");
  });

  test("unknown key -> PROV_UNKNOWN_KEY naming the key id", async () => {
    const tgz = await signed("foo", "1.0.0", "Stranger");
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_UNKNOWN_KEY");
    expect(e.message).toContain(
      `is signed by key ${stranger.keyId} (fingerprint ${stranger.fingerprint}), which is not in the keyring`,
    );
    expect(e.hint).toContain(`gpg --recv-keys ${stranger.keyId}`);
  });

  test("expired key (capstan key created 2 days ago, valid 1 day) -> PROV_KEY_EXPIRED", async () => {
    const born = new Date(Date.now() - 2 * 86400_000);
    const old = await generateKey({
      name: "Expired Author",
      email: "exp@example.com",
      date: born,
      expiresInSeconds: 86400,
    });
    const sub = join(dir, "expired");
    (await import("node:fs")).mkdirSync(sub);
    const tgz = makePluginTarball(sub, "foo", "1.0.0");
    const signedAt = new Date(born.getTime() + 3600_000);
    await signTarball(tgz, {
      keyring: await keyringFromKeys([old.privateKeyArmored]),
      key: "Expired Author",
      date: signedAt,
    });
    const keyring = await keyringFromKeys([old.publicKeyArmored]);
    // Valid while the key was valid...
    await expect(
      verifyTarball(tgz, { keyring, now: new Date(born.getTime() + 7200_000) }),
    ).resolves.toMatchObject({ signer: { fingerprint: old.fingerprint } });
    // ...refused now.
    const e = await refusal(verifyTarball(tgz, { keyring }));
    expect(e.code).toBe("PROV_KEY_EXPIRED");
    expect(e.message).toMatch(
      /is signed by "Expired Author <exp@example.com>" \(key [0-9A-F]{16}, fingerprint [0-9A-F]{40}\), which expired on \d{4}-/,
    );
  });

  test("expired key (gpg --quick-gen-key with 1d expiry, verified 2 days later) -> PROV_KEY_EXPIRED", async () => {
    const fpr = gpg.genKey("Gpg Short Lived <short@example.com>", "ed25519", "1d");
    const tgz = await gpgSignedTarball("gpg-expired", fpr, "SHA512");
    const keyring = await keyringFromKeys([new Uint8Array(gpg.run(["--export", fpr]).stdout)]);
    await expect(verifyTarball(tgz, { keyring })).resolves.toMatchObject({ signer: { fingerprint: fpr } });
    const e = await refusal(verifyTarball(tgz, { keyring, now: new Date(Date.now() + 2 * 86400_000) }));
    expect(e.code).toBe("PROV_KEY_EXPIRED");
    expect(e.message).toContain(`fingerprint ${fpr}), which expired on`);
  });

  test("revoked key (gpg's revocation certificate imported, keyring re-exported) -> PROV_KEY_REVOKED", async () => {
    const fpr = gpg.genKey("Gpg Revoked <revoked@example.com>");
    const tgz = await gpgSignedTarball("gpg-revoked", fpr, "SHA512");
    const before = await keyringFromKeys([new Uint8Array(gpg.run(["--export", fpr]).stdout)]);
    await expect(verifyTarball(tgz, { keyring: before })).resolves.toBeDefined();
    // gpg stores a revocation certificate per key, with the armor line commented out by ':'.
    const rev = readFileSync(join(gpg.home, "openpgp-revocs.d", `${fpr}.rev`), "utf8").replace(
      /^:-----/m,
      "-----",
    );
    gpg.run(["--import"], { input: rev });
    writeFileSync(join(dirname(tgz), "pubring.gpg"), gpg.run(["--export", fpr]).stdout);
    const e = await refusal(
      verifyTarball(tgz, { keyring: await loadKeyring(join(dirname(tgz), "pubring.gpg")) }),
    );
    expect(e.code).toBe("PROV_KEY_REVOKED");
    expect(e.message).toContain(
      `is signed by "Gpg Revoked <revoked@example.com>" (key ${fpr.slice(-16)}, fingerprint ${fpr}), which is revoked`,
    );
  });

  test("revoked key (capstan revocation certificate next to the public key in a keyring directory) -> PROV_KEY_REVOKED", async () => {
    const key = await generateKey({ name: "Capstan Revoked", email: "crev@example.com" });
    const sub = join(dir, "capstan-revoked");
    (await import("node:fs")).mkdirSync(sub);
    const tgz = makePluginTarball(sub, "foo", "1.0.0");
    await signTarball(tgz, { keyring: await keyringFromKeys([key.privateKeyArmored]), key: key.fingerprint });
    const ringDir = join(sub, "ring");
    (await import("node:fs")).mkdirSync(ringDir);
    writeFileSync(join(ringDir, "public.asc"), key.publicKeyArmored);
    await expect(verifyTarball(tgz, { keyring: await loadKeyring(ringDir) })).resolves.toBeDefined();
    writeFileSync(join(ringDir, "revocation.asc"), key.revocationCertificate);
    const e = await refusal(verifyTarball(tgz, { keyring: await loadKeyring(ringDir) }));
    expect(e.code).toBe("PROV_KEY_REVOKED");
    expect(e.message).toContain(`"Capstan Revoked <crev@example.com>" (key ${key.keyId}`);
  });

  test("SHA-1 signature (gpg --digest-algo SHA1, RSA key) -> PROV_WEAK_HASH", async () => {
    const fpr = gpg.genKey("Gpg Sha1 <sha1@example.com>", "rsa2048");
    const tgz = await gpgSignedTarball("sha1", fpr, "SHA1");
    expect(readFileSync(`${tgz}.prov`, "utf8")).toContain("Hash: SHA1\n");
    const keyring = await keyringFromKeys([new Uint8Array(gpg.run(["--export", fpr]).stdout)]);
    const e = await refusal(verifyTarball(tgz, { keyring }));
    expect(e.code).toBe("PROV_WEAK_HASH");
    expect(e.message).toContain(
      `is signed with hash SHA1 by "Gpg Sha1 <sha1@example.com>" (key ${fpr.slice(-16)}`,
    );
  });

  test("DSA signature (gpg dsa2048 key) -> PROV_WEAK_KEY_ALGORITHM", async () => {
    const fpr = gpg.genKey("Gpg Dsa <dsa@example.com>", "dsa2048");
    const tgz = await gpgSignedTarball("dsa", fpr, "SHA256");
    const keyring = await keyringFromKeys([new Uint8Array(gpg.run(["--export", fpr]).stdout)]);
    const sig = (await openpgp.readCleartextMessage({
      cleartextMessage: readFileSync(`${tgz}.prov`, "utf8"),
    })) as unknown as { signature: openpgp.Signature };
    expect(sig.signature.packets[0]?.publicKeyAlgorithm).toBe(openpgp.enums.publicKey.dsa);
    const e = await refusal(verifyTarball(tgz, { keyring }));
    expect(e.code).toBe("PROV_WEAK_KEY_ALGORITHM");
    expect(e.message).toContain(`is signed with DSA by "Gpg Dsa <dsa@example.com>" (key ${fpr.slice(-16)}`);
  });

  test("future-dated signature -> PROV_FUTURE_SIGNATURE", async () => {
    const sub = join(dir, "future");
    (await import("node:fs")).mkdirSync(sub);
    const tgz = makePluginTarball(sub, "foo", "1.0.0");
    const key = await openpgp.readPrivateKey({ armoredKey: trusted.privateKeyArmored });
    writeFileSync(
      `${tgz}.prov`,
      await createProvenance({ tarballPath: tgz, signingKey: key, date: new Date(Date.now() + 3600_000) }),
    );
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_FUTURE_SIGNATURE");
    expect(e.message).toMatch(
      /has a signature by "Trusted Author <author@example.com>" .* dated in the future/,
    );
  });

  test("missing .prov -> PROV_MISSING", async () => {
    const tgz = await signed();
    (await import("node:fs")).rmSync(`${tgz}.prov`);
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_MISSING");
    expect(e.message).toBe(`foo-1.0.0.tgz is not signed: provenance file ${tgz}.prov is missing`);
  });

  test("empty .prov (0 bytes, or whitespace) -> PROV_EMPTY", async () => {
    const tgz = await signed();
    for (const content of ["", " \n\n"]) {
      writeFileSync(`${tgz}.prov`, content);
      const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
      expect(e.code).toBe("PROV_EMPTY");
      expect(e.message).toBe(`provenance file ${tgz}.prov is empty`);
    }
  });

  test("not a signature at all -> PROV_MALFORMED", async () => {
    const tgz = await signed();
    writeFileSync(`${tgz}.prov`, "name: foo\nversion: 1.0.0\n...\nfiles:\n  foo-1.0.0.tgz: sha256:00\n");
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_MALFORMED");
    expect(e.message).toContain("is not an OpenPGP cleartext signature");
  });

  test("renamed tarball (foo-1.0.0.tgz shipped as foo-1.0.1.tgz) -> PROV_FILE_NOT_LISTED", async () => {
    const tgz = await signed();
    const renamed = tgz.replace("foo-1.0.0.tgz", "foo-1.0.1.tgz");
    copyFileSync(tgz, renamed);
    copyFileSync(`${tgz}.prov`, `${renamed}.prov`);
    const e = await refusal(verifyTarball(renamed, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_FILE_NOT_LISTED");
    expect(e.message).toContain("does not list foo-1.0.1.tgz; it signs foo-1.0.0.tgz (renamed tarball?)");
  });

  test(".prov of another plugin -> PROV_OTHER_PLUGIN", async () => {
    const foo = await signed("foo", "1.0.0");
    const bar = await signed("bar", "1.0.0");
    copyFileSync(`${bar}.prov`, `${foo}.prov`);
    const e = await refusal(verifyTarball(foo, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_OTHER_PLUGIN");
    expect(e.message).toContain(
      `belongs to another plugin: it signs "bar" (bar-1.0.0.tgz), not foo-1.0.0.tgz (signed by "Trusted Author`,
    );
  });

  test("signed name/version differ from the archive's plugin.yaml -> PROV_METADATA_MISMATCH", async () => {
    const sub = join(dir, "meta");
    (await import("node:fs")).mkdirSync(sub);
    const tgz = makePluginTarball(sub, "foo", "1.0.0");
    await signTarball(tgz, {
      keyring: signKeyring,
      key: "Trusted Author",
      metadata: { name: "foo", version: "9.9.9" },
    });
    const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
    expect(e.code).toBe("PROV_METADATA_MISMATCH");
    expect(e.message).toContain("signs plugin foo 9.9.9, but the tarball's plugin.yaml is foo 1.0.0");
    // The caller's `expected` is what is compared when given.
    const e2 = await refusal(
      verifyTarball(await signed("foo", "1.0.0"), {
        keyring: verifyKeyring,
        expected: { name: "foo", version: "1.0.1" },
      }),
    );
    expect(e2.code).toBe("PROV_METADATA_MISMATCH");
    expect(e2.message).toContain("signs plugin foo 1.0.0, but the tarball's plugin.yaml is foo 1.0.1");
  });
});

test("a tampered tarball that is not even gzip is still reported as a digest mismatch", async () => {
  const tgz = await signed();
  writeFileSync(tgz, "garbage, not a gzip stream");
  const e = await refusal(verifyTarball(tgz, { keyring: verifyKeyring }));
  expect(e.code).toBe("PROV_DIGEST_MISMATCH");
});

describe("signing subkeys (gpg: certify-only primary + signing subkey)", () => {
  test("the signature by the subkey verifies (key id = subkey, fingerprint = primary); revoking the subkey -> PROV_KEY_REVOKED", async () => {
    const fpr = gpg.genKey("Gpg Subkey <sub@example.com>", "ed25519", "never");
    // genKey made a [SC] primary; add a newer signing subkey, which gpg then prefers.
    gpg.run(["--quick-add-key", fpr, "ed25519", "sign", "never"]);
    const tgz = await gpgSignedTarball("subkey", fpr, "SHA512");
    const secret = await openpgp.readPrivateKey({
      binaryKey: new Uint8Array(gpg.run(["--export-secret-keys", fpr]).stdout),
    });
    const subkey = secret.subkeys[0];
    if (subkey === undefined) throw new Error("gpg made no subkey");
    const r = await verifyTarball(tgz, { keyring: await keyringFromKeys([secret.toPublic()]) });
    expect(r.signer).toMatchObject({ fingerprint: fpr, keyId: subkey.getKeyID().toHex().toUpperCase() });
    // Revoke only the subkey (what `gpg --edit-key` revkey does) and publish the public key.
    const revoked = await subkey.revoke(secret.keyPacket as openpgp.SecretKeyPacket);
    secret.subkeys[0] = revoked;
    const e = await refusal(
      verifyTarball(tgz, { keyring: await keyringFromKeys([secret.toPublic().armor()]) }),
    );
    expect(e.code).toBe("PROV_KEY_REVOKED");
    expect(e.message).toContain(
      `(key ${subkey.getKeyID().toHex().toUpperCase()}, fingerprint ${fpr}), which is revoked`,
    );
  });
});

test("a .prov converted to CRLF line endings (Windows checkout) still verifies", async () => {
  const tgz = await signed("crlf", "1.0.0");
  writeFileSync(`${tgz}.prov`, readFileSync(`${tgz}.prov`, "utf8").replace(/\n/g, "\r\n"));
  await expect(verifyTarball(tgz, { keyring: verifyKeyring })).resolves.toMatchObject({
    metadata: { name: "crlf" },
  });
});

describe("keyring files", () => {
  test("--keyring /dev/zero and a FIFO are refused as not regular files, not read forever", async () => {
    await expect(loadKeyring("/dev/zero")).rejects.toMatchObject({
      code: "KEYRING_UNREADABLE",
      message: "keyring /dev/zero is not a regular file",
    });
    const fifo = join(dir, "fifo.gpg");
    execFileSync("mkfifo", [fifo]);
    await expect(loadKeyring(fifo)).rejects.toMatchObject({ code: "KEYRING_UNREADABLE" });
    // In a directory a FIFO is skipped (opening it would block); the real key still loads.
    const keys = join(dir, "fifo-dir");
    mkdirSync(keys);
    execFileSync("mkfifo", [join(keys, "a.gpg")]);
    writeFileSync(join(keys, "b.asc"), trusted.publicKeyArmored);
    expect((await loadKeyring(keys)).keys).toHaveLength(1);
  });

  test("a keyring over the size cap is refused before it is read", async () => {
    const big = join(dir, "big.gpg");
    writeFileSync(big, "");
    truncateSync(big, MAX_KEYRING_BYTES + 1); // sparse: no disk used
    await expect(loadKeyring(big)).rejects.toMatchObject({
      code: "KEYRING_UNREADABLE",
      message: `keyring ${big} is larger than the cap of ${MAX_KEYRING_BYTES} bytes`,
    });
  });
});
