// GnuPG interop, both directions, with the real gpg binary.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildMessageBlock,
  generateKey,
  keyringFromKeys,
  loadKeyring,
  sha256File,
  signTarball,
  verifyTarball,
  writeKeyring,
} from "@capstan/signing";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { Gpg } from "./helpers/gpg.js";
import { makePluginTarball } from "./helpers/plugin-tarball.js";

let gpg: Gpg;
let work: string;
let gpgFpr: string;

beforeAll(() => {
  gpg = new Gpg();
  work = join(gpg.home, "work");
  gpg.run(["--list-keys"]); // creates pubring.kbx
  mkdirSync(work, { recursive: true });
  gpgFpr = gpg.genKey("Gpg Signer <gpg@example.com>");
  writeFileSync(join(work, "pubring.gpg"), gpg.run(["--export", gpgFpr]).stdout);
  writeFileSync(join(work, "secring.gpg"), gpg.run(["--export-secret-keys", gpgFpr]).stdout);
});
afterAll(() => gpg.close());

describe("capstan -> gpg", () => {
  test("gpg --verify accepts a .prov signed by a capstan-generated Ed25519 key (SHA512)", async () => {
    const key = await generateKey({ name: "Capstan Ecc", email: "ecc@example.com" });
    gpg.run(["--import"], { input: key.publicKeyArmored });
    const tgz = makePluginTarball(work, "eccplug", "0.1.0");
    const prov = await signTarball(tgz, {
      keyring: await keyringFromKeys([key.privateKeyArmored]),
      key: "Capstan Ecc",
    });
    const r = gpg.run(["--verbose", "--verify", prov]);
    expect(r.stderr).toContain('Good signature from "Capstan Ecc <ecc@example.com>"');
    expect(r.stderr).toMatch(/digest algorithm SHA512/);
    expect(r.stderr).toContain(key.fingerprint);
  });

  test("a capstan RSA-3072 key with a passphrase imports into gpg (public and secret) and gpg signs with it", async () => {
    const key = await generateKey({
      name: "Capstan Rsa",
      email: "rsa@example.com",
      type: "rsa",
      passphrase: "s3cret",
    });
    gpg.run(["--import"], { input: key.privateKeyArmored, passphrase: "s3cret" });
    const listing = gpg.run(["--with-colons", "--list-secret-keys", key.fingerprint]).stdout.toString();
    expect(listing).toMatch(/^sec:[^:]*:3072:1:/m);
    // Our signature verifies in gpg...
    const tgz = makePluginTarball(work, "rsaplug", "1.0.0");
    const prov = await signTarball(tgz, {
      keyring: await keyringFromKeys([key.privateKeyArmored]),
      key: key.fingerprint,
      passphrase: "s3cret",
    });
    expect(gpg.run(["--verify", prov]).stderr).toContain(
      'Good signature from "Capstan Rsa <rsa@example.com>"',
    );
    // ...and gpg can sign with our secret key (it decrypted our S2K protection).
    const body = join(work, "rsa-body.txt");
    writeFileSync(body, "hello\n");
    gpg.run(
      ["--local-user", key.fingerprint, "--digest-algo", "SHA512", "--clearsign", "-o", `${body}.asc`, body],
      { passphrase: "s3cret" },
    );
    expect(gpg.run(["--verify", `${body}.asc`]).stderr).toContain("Good signature");
  });

  test("writeKeyring output (binary pubring.gpg / secring.gpg) imports into gpg", async () => {
    const key = await generateKey({ name: "Capstan Ring", email: "ring@example.com" });
    const ring = await keyringFromKeys([key.privateKeyArmored]);
    await writeKeyring(join(work, "our-pub.gpg"), ring);
    await writeKeyring(join(work, "our-sec.gpg"), ring, { secret: true });
    const other = new Gpg();
    try {
      other.run(["--import", join(work, "our-pub.gpg")]);
      expect(other.run(["--with-colons", "--list-keys", key.fingerprint]).stdout.toString()).toContain(
        key.fingerprint,
      );
      other.run(["--import", join(work, "our-sec.gpg")]);
      expect(other.run(["--with-colons", "--list-secret-keys", key.fingerprint]).stdout.toString()).toContain(
        key.fingerprint,
      );
    } finally {
      other.close();
    }
    expect(readFileSync(join(work, "our-pub.gpg"))[0]! & 0x80).toBe(0x80); // binary packets, not armor
  });
});

describe("gpg -> capstan", () => {
  test("a `gpg --clearsign --digest-algo SHA512` body in Helm's layout verifies against a gpg --export keyring", async () => {
    const tgz = makePluginTarball(work, "gpgplug", "2.0.0");
    const body = join(work, "gpgplug-body.txt");
    writeFileSync(
      body,
      buildMessageBlock("name: gpgplug\nversion: 2.0.0\n", "gpgplug-2.0.0.tgz", await sha256File(tgz)),
    );
    gpg.run(["--local-user", gpgFpr, "--digest-algo", "SHA512", "--clearsign", "-o", `${tgz}.prov`, body]);
    const r = await verifyTarball(tgz, { keyring: await loadKeyring(join(work, "pubring.gpg")) });
    expect(r.signer).toEqual({
      userId: "Gpg Signer <gpg@example.com>",
      fingerprint: gpgFpr,
      keyId: gpgFpr.slice(-16),
    });
    expect(r.metadata).toEqual({ name: "gpgplug", version: "2.0.0" });
  });

  test("secring.gpg from `gpg --export-secret-keys` signs with --key substring; gpg verifies the result", async () => {
    const tgz = makePluginTarball(work, "secplug", "0.0.1");
    const prov = await signTarball(tgz, {
      keyring: await loadKeyring(join(work, "secring.gpg")),
      key: "Gpg Signer",
    });
    expect(gpg.run(["--verify", prov]).stderr).toContain(
      'Good signature from "Gpg Signer <gpg@example.com>"',
    );
    const r = await verifyTarball(tgz, { keyring: await loadKeyring(join(work, "pubring.gpg")) });
    expect(r.signer.fingerprint).toBe(gpgFpr);
  });

  test("a passphrase-protected gpg secret key (gpg --export-secret-keys) unlocks with the passphrase", async () => {
    gpg.run(["--quick-gen-key", "Gpg Locked <locked@example.com>", "ed25519", "sign", "never"], {
      passphrase: "gpg-pass",
    });
    const fpr = gpg.fingerprint("Gpg Locked");
    const ring = join(work, "locked-secring.gpg");
    writeFileSync(ring, gpg.run(["--export-secret-keys", fpr], { passphrase: "gpg-pass" }).stdout);
    const keyring = await loadKeyring(ring);
    const tgz = makePluginTarball(work, "lockedplug", "1.0.0");
    await expect(signTarball(tgz, { keyring, key: "Gpg Locked" })).rejects.toMatchObject({
      code: "PASSPHRASE_REQUIRED",
    });
    await expect(signTarball(tgz, { keyring, key: "Gpg Locked", passphrase: "wrong" })).rejects.toMatchObject(
      { code: "PASSPHRASE_WRONG" },
    );
    const prov = await signTarball(tgz, { keyring, key: "Gpg Locked", passphrase: "gpg-pass" });
    expect(gpg.run(["--verify", prov]).stderr).toContain(
      'Good signature from "Gpg Locked <locked@example.com>"',
    );
  });

  test("a GnuPG 1 keyring file (gnupg-ring: format, with trust packets) loads", async () => {
    const ring = join(work, "legacy-pubring.gpg");
    gpg.run([
      "--trust-model",
      "always",
      "--no-default-keyring",
      "--keyring",
      `gnupg-ring:${ring}`,
      "--import",
      join(work, "pubring.gpg"),
    ]);
    expect(gpg.run(["--list-packets", ring]).stdout.toString()).toContain(":trust packet:");
    const keyring = await loadKeyring(ring);
    expect(keyring.keys.map((k) => k.getFingerprint().toUpperCase())).toContain(gpgFpr);
  });

  test("pubring.kbx is detected and the error says to run gpg --export", async () => {
    const err = await loadKeyring(join(gpg.home, "pubring.kbx")).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "KEYRING_KBX", exitCode: 5 });
    expect((err as Error).message).toContain("pubring.kbx");
    expect((err as { hint: string }).hint).toContain("gpg --export > pubring.gpg");
  });

  test("a GnuPG home directory with only pubring.kbx + trustdb.gpg gives the kbx hint; a directory of exports loads", async () => {
    const err = await loadKeyring(gpg.home).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "KEYRING_KBX" });
    const ring = await loadKeyring(work);
    expect(ring.keys.some((k) => k.isPrivate() && k.getFingerprint().toUpperCase() === gpgFpr)).toBe(true);
  });
});
