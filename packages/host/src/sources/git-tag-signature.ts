// Verifies a git tag's OpenPGP signature against a Capstan keyring by running
// `git verify-tag --raw` with a throwaway GNUPGHOME that holds only the keyring's keys, so the
// user's own GnuPG trust settings play no part. The same fail-closed rules as .prov files
// apply: no SHA-1, no DSA, no expired/revoked key, signer must be in the keyring.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import type { Keyring } from "@capstan/signing";
import { InstallError } from "../install/install-error.js";
import { runGit } from "./git-command.js";

/** Who signed a tag. */
export interface TagSigner {
  signer: string;
  fingerprint: string;
  keyId: string;
}

/** Checks the signature of annotated tag `tag` in the repository at `repoDir`. */
export async function verifyTagSignature(
  repoDir: string,
  tag: string,
  keyring: Keyring,
  source: string,
): Promise<TagSigner> {
  const refuse = (why: string, keyId?: string): never => {
    throw new InstallError("GIT_TAG_UNVERIFIED", `${source} tag ${tag}: ${why}`, {
      hint: keyId
        ? `import the key ${keyId} into your keyring (--keyring) if you trust it, or pass --verify=false (unsafe)`
        : "sign release tags with `git tag -s`, or pass --verify=false to install an unverified checkout (unsafe)",
      exitCode: ExitCode.verification,
    });
  };
  const type = await runGit(["cat-file", "-t", `refs/tags/${tag}`], { cwd: repoDir });
  if (type.stdout.trim() !== "tag") refuse("is a lightweight tag and carries no signature");
  const home = mkdtempSync(join(tmpdir(), "capstan-gpg-"));
  try {
    const { exportKeyring } = await import("@capstan/signing");
    const ring = join(home, "keyring.gpg");
    writeFileSync(ring, exportKeyring(keyring));
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
    const noKey = status.get("ERRSIG") ?? status.get("NO_PUBKEY");
    if (status.has("BADSIG")) refuse("the signature does not match the tag");
    if (status.has("EXPKEYSIG")) refuse("the signing key has expired", status.get("EXPKEYSIG")?.[0]);
    if (status.has("REVKEYSIG")) refuse("the signing key is revoked", status.get("REVKEYSIG")?.[0]);
    if (status.has("EXPSIG")) refuse("the signature has expired");
    if (noKey && !status.has("VALIDSIG"))
      refuse(`signed by key ${noKey[0]}, which is not in the keyring`, noKey[0]);
    const valid = status.get("VALIDSIG");
    const good = status.get("GOODSIG");
    if (r.code !== 0 || !valid || !good)
      refuse(`has no valid signature (${r.stderr.trim().split("\n").pop() ?? "git verify-tag failed"})`);
    // VALIDSIG <sig-key-fpr> <date> <ts> <expire> <version> <reserved> <pk-algo> <hash-algo> <class> <primary-fpr>
    const pkAlgo = Number(valid![6]);
    const hashAlgo = Number(valid![7]);
    if (hashAlgo === 2) refuse("is signed with SHA-1, which is refused");
    if (pkAlgo === 17) refuse("is signed with DSA, which is refused");
    const sigFpr = valid![0]!.toUpperCase();
    const primary = (valid![9] ?? sigFpr).toUpperCase();
    return { signer: good!.slice(1).join(" "), fingerprint: primary, keyId: sigFpr.slice(-16) };
  } finally {
    spawnSync("gpgconf", ["--homedir", home, "--kill", "all"], { stdio: "ignore" });
    rmSync(home, { recursive: true, force: true });
  }
}
