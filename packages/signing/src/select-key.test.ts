import { expect, test } from "@jest/globals";
import { generateKey, keyringFromKeys, selectSigningKey, unlockSigningKey } from "./index.js";

const alice = await generateKey({ name: "Alice Example", email: "alice@example.com", passphrase: "pw" });
const alice2 = await generateKey({ name: "Alice Other", email: "alice2@example.com" });
const bob = await generateKey({ name: "Bob", email: "bob@example.com" });
const old = await generateKey({
  name: "Old Key",
  email: "old@example.com",
  date: new Date(Date.now() - 86400_000 * 3),
  expiresInSeconds: 86400,
});
const ring = await keyringFromKeys([
  alice.privateKeyArmored,
  alice2.privateKeyArmored,
  bob.publicKeyArmored,
  old.privateKeyArmored,
]);

test("selects by user-ID substring (Helm's rule), fingerprint (spaces ok) and key id", async () => {
  expect((await selectSigningKey(ring, "Alice Example")).signer.fingerprint).toBe(alice.fingerprint);
  const spaced = alice.fingerprint.replace(/(.{4})/g, "$1 ").trim();
  expect((await selectSigningKey(ring, spaced)).signer.userId).toBe("Alice Example <alice@example.com>");
  expect((await selectSigningKey(ring, `0x${alice2.keyId.toLowerCase()}`)).signer.fingerprint).toBe(
    alice2.fingerprint,
  );
});

test("ambiguous, public-only, unknown and expired selections are errors with hints", async () => {
  await expect(selectSigningKey(ring, "Alice")).rejects.toMatchObject({
    code: "KEY_AMBIGUOUS",
    hint: "pass the fingerprint as --key",
  });
  await expect(selectSigningKey(ring, "Bob")).rejects.toMatchObject({ code: "KEY_NOT_SECRET" });
  const nf = await selectSigningKey(ring, "Carol").catch(
    (e: unknown) => e as { code: string; message: string; hint: string },
  );
  expect(nf).toMatchObject({ code: "KEY_NOT_FOUND", message: 'no secret key matches "Carol"' });
  expect((nf as { hint: string }).hint).toContain('"Alice Example <alice@example.com>"');
  await expect(selectSigningKey(ring, "Old Key")).rejects.toMatchObject({ code: "KEY_UNUSABLE" });
});

test("a protected key needs the right passphrase", async () => {
  const sel = await selectSigningKey(ring, "alice@example.com");
  await expect(unlockSigningKey(sel)).rejects.toMatchObject({ code: "PASSPHRASE_REQUIRED", exitCode: 5 });
  await expect(unlockSigningKey(sel, "nope")).rejects.toMatchObject({ code: "PASSPHRASE_WRONG" });
  expect((await unlockSigningKey(sel, "pw")).key.isDecrypted()).toBe(true);
});

test("checkSignerKey: current, expired and unknown keys", async () => {
  const { checkSignerKey } = await import("./index.js");
  expect(await checkSignerKey(ring, bob.fingerprint)).toMatchObject({
    userId: "Bob <bob@example.com>",
    keyId: bob.keyId,
  });
  expect(await checkSignerKey(ring, bob.keyId.toLowerCase())).toMatchObject({ fingerprint: bob.fingerprint });
  await expect(checkSignerKey(ring, old.fingerprint, { subject: "tag v1" })).rejects.toMatchObject({
    code: "PROV_KEY_EXPIRED",
    message: expect.stringMatching(/^tag v1 is signed by "Old Key <old@example.com>" .* which expired on /),
  });
  await expect(checkSignerKey(ring, "0123456789ABCDEF")).rejects.toMatchObject({ code: "PROV_UNKNOWN_KEY" });
});

test("generateKey rejects an invalid user ID with a usage error", async () => {
  await expect(generateKey({ name: "X", email: "not-an-email" })).rejects.toMatchObject({
    code: "KEYGEN_INVALID",
    exitCode: 2,
  });
});
