// git source: a real repository served by `git daemon`, tags selected by SemVer constraint,
// verified by signed tags (signed with GnuPG from keys made by @capstan/signing).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { provenanceStatus, resolveSettings } from "@capstan/host";
import { loadManifest } from "@capstan/manifest";
import { keyringFromKeys } from "@capstan/signing";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { makeKey, type TestKey, tempDir } from "./helpers/dist-fixtures.js";
import { startGitHttp } from "./helpers/git-http.js";
import { freePort } from "./helpers/registry.js";

const work = tempDir("capstan-git-");
const gnupg = tempDir("capstan-gpg-");
const repo = join(work, "srv", "tool.git");
let trusted: TestKey;
let stranger: TestKey;
let expired: TestKey;
/** gpg-generated keys: fingerprint and exported public key file. */
const weak: Record<string, { fingerprint: string; file: string }> = {};
let daemon: ChildProcess;
let url: string;
let homes = 0;
const DAY = 86400_000;

const gitEnv = {
  ...process.env,
  GNUPGHOME: gnupg,
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: work,
  GIT_AUTHOR_NAME: "T",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "T",
  GIT_COMMITTER_EMAIL: "t@example.com",
};
const g = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: gitEnv, encoding: "utf8" });

/** A gpg wrapper for git's gpg.program that adds `args` (a faked clock, a digest). */
function gpgWith(args: string[]): string {
  const path = join(work, `gpg-${++wrappers}`);
  writeFileSync(path, `#!/bin/sh\nexec gpg ${args.join(" ")} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}
let wrappers = 0;

/** Commits plugin.yaml with `version` and tags it (signed through `gpgArgs` when given). */
function release(
  version: string,
  tag: string,
  how: "light" | "annotated" | { fingerprint: string },
  gpgArgs?: string[],
): void {
  writeFileSync(
    join(repo, "plugin.yaml"),
    `name: tool\nversion: ${version}\nusage: git plugin\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n`,
  );
  writeFileSync(join(repo, "run.sh"), `#!/bin/sh\necho tool ${version}\n`);
  g("add", "-A");
  g("commit", "-q", "-m", `release ${version}`);
  if (how === "light") g("tag", tag);
  else if (how === "annotated") g("tag", "-a", "-m", tag, tag);
  else {
    const program = gpgArgs ? ["-c", `gpg.program=${gpgWith(gpgArgs)}`] : [];
    g(...program, "-c", `user.signingkey=${how.fingerprint}`, "tag", "-s", "-m", tag, tag);
  }
}

function home() {
  const dir = join(work, `home-${++homes}`);
  mkdirSync(dir);
  const env = { CAPSTAN_PLUGINS: dir, HOME: work };
  return {
    dir,
    opts: { settings: resolveSettings(env), env, keyring: trusted.publicFile, hookOutput: "pipe" as const },
  };
}

beforeAll(async () => {
  [trusted, stranger, expired] = await Promise.all([
    makeKey(join(work, "keys"), "Git Signer"),
    makeKey(join(work, "keys"), "Git Stranger"),
    // Created two days ago, valid for one day: expired now.
    makeKey(join(work, "keys"), "Git Expired", {
      date: new Date(Date.now() - 2 * DAY),
      expiresInSeconds: 86400,
    }),
  ]);
  for (const k of [trusted, stranger, expired]) {
    execFileSync("gpg", ["--homedir", gnupg, "--batch", "--quiet", "--import", k.privateFile], {
      stdio: "ignore",
    });
  }
  mkdirSync(repo, { recursive: true });
  g("init", "-q", "-b", "main");
  release("0.9.0", "v0.9.0", "light");
  release("1.0.0", "v1.0.0", trusted);
  release("1.1.0", "v1.1.0", "annotated");
  release("1.2.0", "v1.2.0", stranger);
  release("1.2.9", "v1.3.0", trusted);
  // Low versions, so the constraint tests above never select them.
  const clock = (ms: number) => [`--faked-system-time ${Math.floor(ms / 1000)}!`];
  release("0.5.0", "v0.5.0", expired, clock(Date.now() - 2 * DAY + 3600_000));
  release("0.6.0", "v0.6.0", trusted, clock(Date.now() + DAY));
  // GnuPG-made keys for the algorithms openpgp.js cannot generate.
  for (const [uid, algo] of [
    ["Git Sha1 <sha1@example.com>", "rsa2048"],
    ["Git Dsa <dsa@example.com>", "dsa2048"],
  ] as const) {
    execFileSync(
      "gpg",
      ["--homedir", gnupg, "--batch", "--passphrase", "", "--quick-gen-key", uid, algo, "sign", "never"],
      {
        stdio: "ignore",
      },
    );
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(
      execFileSync("gpg", ["--homedir", gnupg, "--with-colons", "--list-keys", uid], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    )?.[1];
    if (fpr === undefined) throw new Error(`gpg made no key for ${uid}`);
    const file = join(work, "keys", `${algo}.gpg`);
    writeFileSync(
      file,
      execFileSync("gpg", ["--homedir", gnupg, "--export", fpr], { stdio: ["ignore", "pipe", "ignore"] }),
    );
    weak[algo] = { fingerprint: fpr, file };
  }
  release("0.7.0", "v0.7.0", weak.rsa2048!, ["--digest-algo SHA1"]);
  release("0.8.0", "v0.8.0", weak.dsa2048!);
  // A signed release whose tree holds a symlink (removed again by the next commit).
  symlinkSync("/etc/passwd", join(repo, "passwd"));
  release("0.4.0", "v0.4.0", trusted);
  rmSync(join(repo, "passwd"));
  const port = await freePort();
  daemon = spawn(
    "git",
    [
      "daemon",
      "--reuseaddr",
      "--listen=127.0.0.1",
      `--port=${port}`,
      `--base-path=${join(work, "srv")}`,
      "--export-all",
      join(work, "srv"),
    ],
    { stdio: "ignore" },
  );
  // Waits for the port as long as the daemon lives (beforeAll's timeout bounds a hang).
  for (;;) {
    const up = await new Promise<boolean>((r) => {
      const s = connect(port, "127.0.0.1", () => r(s.end() !== undefined)).on("error", () => r(false));
    });
    if (up) break;
    if (daemon.exitCode !== null) throw new Error(`git daemon exited with ${daemon.exitCode}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  url = `git://127.0.0.1:${port}/tool.git`;
});

afterAll(() => {
  daemon?.kill();
  execFileSync("gpgconf", ["--homedir", gnupg, "--kill", "all"], { stdio: "ignore" });
  rmSync(work, { recursive: true, force: true });
  rmSync(gnupg, { recursive: true, force: true });
});

test("a tag signed by a trusted key installs and lists as trusted", async () => {
  const h = home();
  const r = await installPlugin(url, { ...h.opts, version: "~1.0.0" });
  expect(r).toMatchObject({ kind: "git", version: "1.0.0", source: url });
  expect(r.provenance).toMatchObject({ fingerprint: trusted.fingerprint, signer: trusted.userId });
  expect(readFileSync(join(r.dir, "run.sh"), "utf8")).toContain("tool 1.0.0");
  const loaded = await loadManifest(r.dir);
  expect(await provenanceStatus(loaded, trusted.publicKeyring)).toMatchObject({ status: "trusted" });
  expect(await provenanceStatus(loaded, stranger.publicKeyring)).toMatchObject({
    status: "unknown-key",
    keyId: trusted.keyId,
  });
  // The signer revoked since the install: the PROVENANCE column says so.
  const revoked = await keyringFromKeys([trusted.publicArmored, trusted.revocationCertificate]);
  expect(await provenanceStatus(loaded, revoked)).toMatchObject({
    status: "invalid",
    code: "PROV_KEY_REVOKED",
  });
});

test("unsigned, foreign-signed and mismatched tags are refused", async () => {
  const h = home();
  await expect(installPlugin(url, { ...h.opts, version: "0.9.0" })).rejects.toMatchObject({
    code: "GIT_TAG_UNVERIFIED",
    message: expect.stringMatching(/lightweight/),
  });
  await expect(installPlugin(url, { ...h.opts, version: "1.1.0" })).rejects.toMatchObject({
    code: "GIT_TAG_UNVERIFIED",
    exitCode: 5,
  });
  const foreign = await installPlugin(url, { ...h.opts, version: "1.2.0" }).catch((e: Error) => e);
  expect(foreign).toMatchObject({ code: "PROV_UNKNOWN_KEY", exitCode: 5 });
  expect((foreign as Error).message).toMatch(
    new RegExp(`tag v1\\.2\\.0 is signed by key ${stranger.keyId}.*, which is not in the keyring`),
  );
  // Highest tag by default: v1.3.0, whose plugin.yaml says 1.2.9.
  await expect(installPlugin(url, h.opts)).rejects.toMatchObject({ code: "GIT_TAG_MISMATCH" });
  await expect(installPlugin(url, { ...h.opts, version: "^7" })).rejects.toMatchObject({
    code: "INSTALL_VERSION_NOT_FOUND",
    exitCode: 4,
  });
  // A checkout goes through the archive rules and caps too.
  await expect(installPlugin(url, { ...h.opts, version: "0.4.0" })).rejects.toMatchObject({
    code: "ARCHIVE_UNSAFE",
    exitCode: 5,
    message: `${url}: passwd: symbolic link is refused`,
  });
  const capped = { ...h.opts, env: { ...h.opts.env, CAPSTAN_MAX_ARCHIVE_ENTRIES: "1" }, verify: false };
  await expect(installPlugin(url, { ...capped, version: "0.9.0" })).rejects.toMatchObject({
    code: "ARCHIVE_UNSAFE",
    message: expect.stringMatching(/entries exceed the cap of 1 \(CAPSTAN_MAX_ARCHIVE_ENTRIES\)/),
  });
  // Verification off installs the unsigned tag (with a warning).
  const r = await installPlugin(url, { ...h.opts, version: "0.9.0", verify: false });
  expect(r).toMatchObject({ version: "0.9.0", provenance: null });
});

test("a tag signed by an expired or revoked key, dated in the future, with SHA-1 or with DSA is refused like a .prov", async () => {
  const h = home();
  // The expired key is in the keyring: only its expiry can refuse it.
  const withExpired = { ...h.opts, keyring: [trusted.publicFile, expired.publicFile] };
  const old = await installPlugin(url, { ...withExpired, version: "0.5.0" }).catch((e: Error) => e);
  expect(old).toMatchObject({ code: "PROV_KEY_EXPIRED", exitCode: 5 });
  expect((old as Error).message).toMatch(
    /tag v0\.5\.0 is signed by "Git Expired <git\.expired@example\.com>" \(key [0-9A-F]{16}, fingerprint [0-9A-F]{40}\), which expired on /,
  );
  // The trusted key plus its revocation certificate: revoked.
  const ringDir = join(work, "revoked-ring");
  mkdirSync(ringDir, { recursive: true });
  writeFileSync(join(ringDir, "public.asc"), trusted.publicArmored);
  writeFileSync(join(ringDir, "revocation.asc"), trusted.revocationCertificate);
  const revoked = await installPlugin(url, { ...h.opts, keyring: ringDir, version: "1.0.0" }).catch(
    (e: Error) => e,
  );
  expect(revoked).toMatchObject({ code: "PROV_KEY_REVOKED", exitCode: 5 });
  expect((revoked as Error).message).toContain(`tag v1.0.0 is signed by "${trusted.userId}"`);
  expect((revoked as Error).message).toMatch(/which is revoked$/);
  // Signed by the trusted key with a clock one day ahead.
  const future = await installPlugin(url, { ...h.opts, version: "0.6.0" }).catch((e: Error) => e);
  expect(future).toMatchObject({ code: "PROV_FUTURE_SIGNATURE", exitCode: 5 });
  expect((future as Error).message).toMatch(/tag v0\.6\.0 has a signature dated in the future/);
  // SHA-1 digest and DSA key, both signers in the keyring.
  const weakRing = { ...h.opts, keyring: [weak.rsa2048!.file, weak.dsa2048!.file] };
  const sha1 = await installPlugin(url, { ...weakRing, version: "0.7.0" }).catch((e: Error) => e);
  expect(sha1).toMatchObject({ code: "PROV_WEAK_HASH", exitCode: 5 });
  expect((sha1 as Error).message).toMatch(/tag v0\.7\.0 is signed with SHA-1, which is refused/);
  const dsa = await installPlugin(url, { ...weakRing, version: "0.8.0" }).catch((e: Error) => e);
  expect(dsa).toMatchObject({ code: "PROV_WEAK_KEY_ALGORITHM", exitCode: 5 });
  expect((dsa as Error).message).toMatch(/tag v0\.8\.0 is signed with DSA, which is refused/);
  expect(readdirSync(h.dir)).toEqual([]);
});

test("update follows new signed tags and refuses a downgrade", async () => {
  const h = home();
  await installPlugin(url, { ...h.opts, version: "1.0.0" });
  release("2.0.0", "v2.0.0", trusted);
  expect(await updatePlugin("tool", { ...h.opts, version: ">=2" })).toMatchObject({
    version: "2.0.0",
    previousVersion: "1.0.0",
  });
  expect(await updatePlugin("tool", h.opts)).toMatchObject({ upToDate: true });
  await expect(updatePlugin("tool", { ...h.opts, version: "1.0.0" })).rejects.toMatchObject({
    code: "UPDATE_DOWNGRADE",
  });
  expect(await updatePlugin("tool", { ...h.opts, version: "1.0.0", force: true })).toMatchObject({
    version: "1.0.0",
  });
});

test("smart HTTP (git http-backend) works like git://", async () => {
  const http = await startGitHttp(join(work, "srv"));
  try {
    const h = home();
    const r = await installPlugin(`${http.url}/tool.git`, { ...h.opts, version: "1.0.0" });
    expect(r).toMatchObject({ kind: "git", version: "1.0.0" });
    expect(r.provenance?.fingerprint).toBe(trusted.fingerprint);
  } finally {
    await http.stop();
  }
});
