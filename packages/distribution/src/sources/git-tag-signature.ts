// Verifies a git tag's OpenPGP signature against a Capstan keyring by running
// `git verify-tag --raw` with a throwaway GNUPGHOME that holds only the keyring's keys, so the
// user's own GnuPG trust settings play no part. GnuPG checks the cryptography; the signer is
// then judged by @capstan/signing's checkSignerKey, so a tag gets exactly the .prov rules:
// signer in the keyring, key neither expired nor revoked now, no SHA-1, no DSA, no future date.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import type { Keyring } from "@capstan/signing";
import { InstallError } from "../errors.js";
import { runGit } from "./git-command.js";

/** Who signed a tag. */
export interface TagSigner {
  signer: string;
  fingerprint: string;
  keyId: string;
}

/** OpenPGP algorithm ids in GnuPG's status lines (RFC 4880 9.1, 9.4). */
const SHA1 = 2;
const DSA = 17;

/** Checks the signature of annotated tag `tag` in the repository at `repoDir`. */
export async function verifyTagSignature(
  repoDir: string,
  tag: string,
  keyring: Keyring,
  source: string,
  now = new Date(),
): Promise<TagSigner> {
  const subject = `${source} tag ${tag}`;
  const refuse = (why: string): never => {
    throw new InstallError("GIT_TAG_UNVERIFIED", `${subject}: ${why}`, {
      hint: "sign release tags with `git tag -s`, or pass --verify=false to install an unverified checkout (unsafe)",
      exitCode: ExitCode.verification,
    });
  };
  const type = await runGit(["cat-file", "-t", `refs/tags/${tag}`], { cwd: repoDir });
  if (type.stdout.trim() !== "tag") refuse("is a lightweight tag and carries no signature");
  const signing = await import("@capstan/signing");
  const home = mkdtempSync(join(tmpdir(), "capstan-gpg-"));
  try {
    const ring = join(home, "keyring.gpg");
    writeFileSync(ring, signing.exportKeyring(keyring));
    const imp = spawnSync("gpg", ["--homedir", home, "--batch", "--quiet", "--import", ring], {
      encoding: "utf8",
    });
    if (imp.error) {
      throw new InstallError(
        "GPG_MISSING",
        `cannot run gpg to check git tag signatures: ${(imp.error as NodeJS.ErrnoException).code}`,
        {
          hint: "install GnuPG (Debian: apt-get install gnupg), or pass --verify=false (unsafe)",
        },
      );
    }
    const r = await runGit(
      ["-c", "gpg.program=gpg", "-c", "gpg.format=openpgp", "verify-tag", "--raw", tag],
      {
        cwd: repoDir,
        env: { GNUPGHOME: home },
      },
    );
    const status = new Map<string, string[]>();
    for (const line of r.stderr.split("\n")) {
      const m = /^\[GNUPG:\] (\w+) ?(.*)$/.exec(line);
      if (m) status.set(m[1]!, m[2]!.split(" "));
    }
    if (status.has("BADSIG")) refuse("the signature does not match the tag");
    const valid = status.get("VALIDSIG");
    if (valid === undefined) {
      // ERRSIG <keyid> <pk-algo> <hash-algo> ...: GnuPG could not check it, usually because the
      // key is not in the keyring; checkSignerKey names the key in the usual unknown-key error.
      const err = status.get("ERRSIG") ?? status.get("NO_PUBKEY");
      if (err?.[0]) await signing.checkSignerKey(keyring, err[0], { now, subject });
      refuse(`has no valid signature (${r.stderr.trim().split("\n").pop() || "git verify-tag failed"})`);
    }
    // VALIDSIG <sig-key-fpr> <date> <ts> <expire> <version> <reserved> <pk-algo> <hash-algo> <class> <primary-fpr>
    const [sigFpr = "", , timestamp = "", , , , pkAlgo, hashAlgo] = valid!;
    // Same codes as the .prov refusals, so scripts and `plugin list` tell threats apart alike.
    const { SignatureCode, SignatureError } = signing;
    if (Number(hashAlgo) === SHA1) {
      throw new SignatureError(SignatureCode.weakHash, `${subject} is signed with SHA-1, which is refused`, {
        hint: "re-sign the tag with a SHA-2 digest: `git tag -s -f` with gpg's default (SHA-512) digest",
      });
    }
    if (Number(pkAlgo) === DSA) {
      throw new SignatureError(
        SignatureCode.weakKeyAlgorithm,
        `${subject} is signed with DSA, which is refused`,
        {
          hint: "re-sign the tag with an Ed25519 or RSA >= 3072 key (`capstan-sign keygen`)",
        },
      );
    }
    // Keyring membership, expiry and revocation at `now`, by the same rules as a .prov.
    const signer = await signing.checkSignerKey(keyring, sigFpr, { now, subject });
    const signedAt = gpgTime(timestamp);
    if (signedAt === undefined || signedAt.getTime() > now.getTime()) {
      throw new SignatureError(
        SignatureCode.futureSignature,
        `${subject} has a signature dated in the future (${signedAt?.toISOString() ?? timestamp}, now ${now.toISOString()})`,
        { hint: "check the clock of this machine and of the signer; re-sign the tag with a correct date" },
      );
    }
    // GnuPG's own verdict must agree (it also refuses expired signatures and revoked keys).
    if (r.code !== 0 || !status.has("GOODSIG") || status.has("EXPSIG") || status.has("EXPKEYSIG"))
      refuse(`GnuPG does not accept the signature (${r.stderr.trim().split("\n").pop() ?? ""})`);
    if (status.has("REVKEYSIG")) refuse("the signing key is revoked");
    return { signer: signer.userId, fingerprint: signer.fingerprint, keyId: signer.keyId };
  } finally {
    spawnSync("gpgconf", ["--homedir", home, "--kill", "all"], { stdio: "ignore" });
    rmSync(home, { recursive: true, force: true });
  }
}

/** A status-line time: seconds since the epoch, or ISO 8601 basic (`20260101T120000`). */
function gpgTime(text: string): Date | undefined {
  if (/^\d+$/.test(text)) return new Date(Number(text) * 1000);
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(text);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}
