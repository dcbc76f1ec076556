import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "@jest/globals";
import * as openpgp from "openpgp";
import { makePluginTarball } from "../test/helpers/plugin-tarball.js";
import { generateKey, keyringFromKeys, signTarball, verifyTarball } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "capstan-sign-rt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("sign then verify a tarball with a generated Ed25519 key (SHA-512, Helm layout)", async () => {
  const key = await generateKey({ name: "Round Trip", email: "rt@example.com" });
  const keyring = await keyringFromKeys([key.privateKeyArmored]);
  const tgz = makePluginTarball(dir, "hello", "1.2.3");
  const prov = await signTarball(tgz, { keyring, key: "Round Trip" });
  expect(prov).toBe(`${tgz}.prov`);
  const r = await verifyTarball(tgz, { keyring: await keyringFromKeys([key.publicKeyArmored]) });
  expect(r.signer).toEqual({
    userId: "Round Trip <rt@example.com>",
    fingerprint: key.fingerprint,
    keyId: key.keyId,
  });
  expect(r.metadata).toMatchObject({ name: "hello", version: "1.2.3" });
  expect(r.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  const text = (await import("node:fs")).readFileSync(prov, "utf8");
  expect(text).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n/);
  expect(text).toContain(`\n\n...\nfiles:\n  hello-1.2.3.tgz: ${r.hash}\n-----BEGIN PGP SIGNATURE-----\n`);
  expect(text).not.toContain("\r");
  const msg = await openpgp.readCleartextMessage({ cleartextMessage: text });
  expect(msg.getText()).toContain("name: hello");
});
