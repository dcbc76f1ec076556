// Drives the real GnuPG in a throwaway GNUPGHOME (batch, loopback pinentry, no passphrase).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary GnuPG home; call close() to stop its agent and delete it. */
export class Gpg {
  readonly home: string;
  constructor() {
    // Short path: gpg-agent's socket path must fit in sun_path.
    this.home = mkdtempSync(join(tmpdir(), "cg-"));
    // The agent calibrates the S2K count to ~100 ms of native SHA-1; openpgp.js would take
    // seconds to unlock such an export. Protection strength is not what these tests check.
    writeFileSync(join(this.home, "gpg-agent.conf"), "s2k-count 65536\n");
  }

  /** Runs gpg; throws with stderr on failure unless `allowFail`. */
  run(
    args: string[],
    options: { input?: string | Uint8Array; allowFail?: boolean; passphrase?: string } = {},
  ): { status: number; stdout: Buffer; stderr: string } {
    const r = spawnSync(
      "gpg",
      [
        "--homedir",
        this.home,
        "--batch",
        "--yes",
        "--no-tty",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        options.passphrase ?? "",
        ...args,
      ],
      { input: options.input, maxBuffer: 64 * 1024 * 1024 },
    );
    const stderr = r.stderr.toString();
    if (r.status !== 0 && !options.allowFail)
      throw new Error(`gpg ${args.join(" ")} failed (${r.status}): ${stderr}`);
    return { status: r.status ?? -1, stdout: r.stdout, stderr };
  }

  /** Generates a key (`algo`: ed25519, rsa2048, dsa2048...) and returns its fingerprint. */
  genKey(userId: string, algo = "ed25519", expire = "never"): string {
    this.run(["--quick-gen-key", userId, algo, "sign", expire]);
    return this.fingerprint(userId);
  }

  /** Fingerprint of the first key matching `userId`. */
  fingerprint(userId: string): string {
    const out = this.run(["--with-colons", "--list-keys", userId]).stdout.toString();
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(out)?.[1];
    if (fpr === undefined) throw new Error(`no fingerprint for ${userId}`);
    return fpr;
  }

  close(): void {
    spawnSync("gpgconf", ["--homedir", this.home, "--kill", "gpg-agent"]);
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** True when a gpg binary is on PATH (tools/setup/system-deps.sh installs gnupg). */
export function gpgVersion(): string {
  return execFileSync("gpg", ["--version"]).toString().split("\n")[0] ?? "";
}
