import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, expect, test } from "@jest/globals";
import { makePluginTarball } from "../test/helpers/plugin-tarball.js";
import {
  classifyProvenance,
  describeProvenance,
  exportKeyring,
  generateKey,
  isKeybox,
  keyringFromKeys,
  readPassphraseFile,
  readPassphraseStream,
  readTarballMetadata,
  SignatureError,
  signTarball,
  verifyTarball,
} from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "capstan-sign-misc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("passphrase: first line of a file or of stdin", async () => {
  writeFileSync(join(dir, "pw"), "secret one\r\nsecond\n");
  expect(await readPassphraseFile(join(dir, "pw"))).toBe("secret one");
  expect(await readPassphraseFile("-", Readable.from(["from stdin\n"]))).toBe("from stdin");
  expect(await readPassphraseStream(Readable.from(["no newline"]))).toBe("no newline");
  await expect(readPassphraseFile(join(dir, "missing"))).rejects.toMatchObject({
    code: "PASSPHRASE_REQUIRED",
  });
});

test("readTarballMetadata finds plugin.yaml one directory down and reads name/version as strings", async () => {
  const tgz = makePluginTarball(dir, "meta", "0.10.0");
  expect(await readTarballMetadata(tgz)).toMatchObject({ name: "meta", version: "0.10.0" });
  writeFileSync(join(dir, "bad.tgz"), "not gzip");
  await expect(readTarballMetadata(join(dir, "bad.tgz"))).rejects.toMatchObject({
    code: "TARBALL_UNREADABLE",
  });
});

test("isKeybox checks bytes 8..11 for KBXf", () => {
  const kbx = new Uint8Array(32);
  kbx.set(new TextEncoder().encode("KBXf"), 8);
  expect(isKeybox(kbx)).toBe(true);
  expect(isKeybox(new Uint8Array(32))).toBe(false);
});

test("a keyring entry openpgp.js refuses (v3 key) is skipped; the other keys still load", async () => {
  const k = await generateKey({ name: "Survivor", email: "s@example.com" });
  const good = exportKeyring(await keyringFromKeys([k.publicKeyArmored]));
  // New-format public-key packet (tag 6) holding a version-3 key body: unsupported.
  const v3 = new Uint8Array([0xc6, 8, 3, 0, 0, 0, 0, 0, 0, 1]);
  const ring = await keyringFromKeys([Buffer.concat([v3, good])]);
  expect(ring.keys.map((x) => x.getFingerprint().toUpperCase())).toEqual([k.fingerprint]);
});

test("classifyProvenance maps outcomes to plugin list states", async () => {
  const a = await generateKey({ name: "Classy", email: "c@example.com" });
  const b = await generateKey({ name: "Unknown", email: "u@example.com" });
  const keyring = await keyringFromKeys([a.publicKeyArmored]);
  const tgz = makePluginTarball(join(dir, "c"), "cls", "1.0.0");
  await signTarball(tgz, { keyring: await keyringFromKeys([a.privateKeyArmored]), key: "Classy" });
  const trusted = await classifyProvenance(() => verifyTarball(tgz, { keyring }));
  expect(trusted).toMatchObject({ status: "trusted", signer: { fingerprint: a.fingerprint } });
  expect(describeProvenance(trusted)).toBe("signed (Classy <c@example.com>)");

  const tgz2 = makePluginTarball(join(dir, "u"), "cls", "1.0.0");
  await signTarball(tgz2, { keyring: await keyringFromKeys([b.privateKeyArmored]), key: "Unknown" });
  const unknown = await classifyProvenance(() => verifyTarball(tgz2, { keyring }));
  expect(unknown).toMatchObject({ status: "unknown-key", keyId: b.keyId });
  expect(describeProvenance(unknown)).toBe(`unknown key ${b.keyId}`);

  const tgz3 = makePluginTarball(join(dir, "n"), "cls", "1.0.0");
  expect(describeProvenance(await classifyProvenance(() => verifyTarball(tgz3, { keyring })))).toBe(
    "unsigned",
  );

  const mism = await classifyProvenance(() =>
    verifyTarball(tgz, { keyring, expected: { name: "cls", version: "2.0.0" } }),
  );
  expect(mism).toMatchObject({ status: "mismatched", code: "PROV_METADATA_MISMATCH", keyId: a.keyId });
  expect(describeProvenance(mism)).toBe("mismatched (PROV_METADATA_MISMATCH)");

  writeFileSync(`${tgz3}.prov`, "");
  expect(await classifyProvenance(() => verifyTarball(tgz3, { keyring }))).toMatchObject({
    status: "invalid",
    code: "PROV_EMPTY",
  });
  expect(
    await classifyProvenance(() =>
      Promise.reject(new SignatureError("PROV_KEY_REVOKED", "x by key 0123456789ABCDEF, which is revoked")),
    ),
  ).toMatchObject({
    status: "invalid",
    keyId: "0123456789ABCDEF",
  });
});

test("readTarballMetadata follows pax path headers (long names, as @capstan/host's tar writer emits)", async () => {
  const { gzipSync } = await import("node:zlib");
  const block = (name: string, size: number, type: string): Buffer => {
    const b = Buffer.alloc(512);
    b.write(name, 0, 100, "utf8");
    b.write(`${size.toString(8).padStart(11, "0")}\0`, 124, 12, "latin1");
    b.write(type, 156, 1, "latin1");
    b.write("ustar\0", 257, 6, "latin1");
    return b;
  };
  const pad = (d: Buffer) => Buffer.concat([d, Buffer.alloc((512 - (d.length % 512)) % 512)]);
  const longDir = "p".repeat(120);
  const value = `path=${longDir}/plugin.yaml\n`;
  let len = value.length + 3;
  len = `${len} ${value}`.length;
  const pax = Buffer.from(`${len} ${value}`);
  const yaml = Buffer.from("name: longname\nversion: 3.0.0\n");
  const tar = Buffer.concat([
    block("PaxHeader", pax.length, "x"),
    pad(pax),
    block("truncated", yaml.length, "0"),
    pad(yaml),
    Buffer.alloc(1024),
  ]);
  expect(await readTarballMetadata(gzipSync(tar))).toMatchObject({ name: "longname", version: "3.0.0" });
});
