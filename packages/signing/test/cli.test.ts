// The capstan-sign bin, spawned as users run it (from the built dist/).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { makePluginTarball } from "./helpers/plugin-tarball.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(pkg, "bin", "capstan-sign.js");
let dir: string;

function run(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8", cwd: dir });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // The bin runs dist/; build it so the test never runs stale output.
  execFileSync(process.execPath, [join(pkg, "node_modules", "@capstan", "build-tools", "build-lib.mjs")], {
    cwd: pkg,
  });
  dir = mkdtempSync(join(tmpdir(), "capstan-sign-cli-"));
  writeFileSync(join(dir, "pass.txt"), "correct horse\nignored second line\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("keygen writes armored keys, a revocation certificate and GnuPG binary keyrings", () => {
  const r = run([
    "keygen",
    "--name",
    "Cli Author",
    "--email",
    "cli@example.com",
    "--out",
    "keys",
    "--passphrase-file",
    "pass.txt",
  ]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(
    /^generated key Cli Author <cli@example.com>\nfingerprint: [0-9A-F]{40}\nkey id: +[0-9A-F]{16}\n/,
  );
  for (const f of ["public.asc", "private.asc", "pubring.gpg", "secring.gpg"])
    expect(existsSync(join(dir, "keys", f))).toBe(true);
  const fpr = /fingerprint: ([0-9A-F]{40})/.exec(r.stdout)?.[1];
  expect(r.stdout).toContain(`revocation certificate: keys/${fpr}.rev`);
  expect(existsSync(join(dir, "keys", `${fpr}.rev`))).toBe(true);
});

test("sign --passphrase-file, then verify prints signer, fingerprint and hash", () => {
  const tgz = makePluginTarball(dir, "cliplug", "1.0.0");
  const s = run([
    "sign",
    tgz,
    "--key",
    "Cli Author",
    "--keyring",
    "keys/secring.gpg",
    "--passphrase-file",
    "pass.txt",
  ]);
  expect(s.stderr).toBe("");
  expect(s.stdout).toBe(`wrote ${tgz}.prov\n`);
  const v = run(["verify", tgz, "--keyring", "keys/pubring.gpg"]);
  expect(v.status).toBe(0);
  expect(v.stdout).toMatch(
    /^Signed by: Cli Author <cli@example.com>\nUsing Key With Fingerprint: [0-9A-F]{40}\nKey ID: [0-9A-F]{16}\nPlugin Hash Verified: sha256:[0-9a-f]{64}\nPlugin: cliplug 1.0.0\n$/,
  );
});

test("sign --passphrase-stdin reads the first line of stdin; verify --prov takes an explicit path", () => {
  const sub = join(dir, "stdin");
  mkdirSync(sub);
  const tgz = makePluginTarball(sub, "stdinplug", "0.2.0");
  const s = run(
    [
      "sign",
      tgz,
      "--key",
      "cli@example.com",
      "--keyring",
      "keys",
      "--passphrase-stdin",
      "--out",
      join(sub, "x.prov"),
    ],
    "correct horse\n",
  );
  expect(s.stderr).toBe("");
  expect(s.status).toBe(0);
  const v = run(["verify", tgz, "--keyring", "keys/public.asc", "--prov", join(sub, "x.prov")]);
  expect(v.status).toBe(0);
  expect(v.stdout).toContain("Plugin: stdinplug 0.2.0");
});

test("a protected key without a passphrase and a wrong passphrase fail with exit 2 (usage) and a hint", () => {
  const tgz = makePluginTarball(join(dir, "nopass"), "np", "1.0.0");
  const r = run(["sign", tgz, "--key", "Cli Author", "--keyring", "keys/secring.gpg"]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(
    /^Error: secret key "Cli Author <cli@example.com>" .* is protected by a passphrase\nHint: pass --passphrase-file <file> \(or --passphrase-stdin\)\n$/,
  );
  const w = run(
    ["sign", tgz, "--key", "Cli Author", "--keyring", "keys/secring.gpg", "--passphrase-stdin"],
    "wrong\n",
  );
  expect(w.status).toBe(2);
  expect(w.stderr).toContain("wrong passphrase");
  expect(existsSync(`${tgz}.prov`)).toBe(false);
});

test("sign checks the secret keyring before the tarball: a missing one hints at secret-key exports", () => {
  const r = run(["sign", "absent.tgz", "--key", "Cli Author", "--keyring", "keys/nope.gpg"]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(
    /^Error: secret keyring keys\/nope\.gpg does not exist\nHint: .*gpg --export-secret-keys/,
  );
  const noKey = run(["sign", "absent.tgz", "--key", "Nobody", "--keyring", "keys/secring.gpg"]);
  expect(noKey.status).toBe(2);
  expect(noKey.stderr).toContain('no secret key matches "Nobody"');
  expect(existsSync(join(dir, "absent.tgz.prov"))).toBe(false);
});

test("verify refuses a tampered tarball with exit 5, the reason and the key", () => {
  const sub = join(dir, "tamper");
  mkdirSync(sub);
  const tgz = makePluginTarball(sub, "cliplug", "1.0.0");
  expect(
    run([
      "sign",
      tgz,
      "--key",
      "Cli Author",
      "--keyring",
      "keys/secring.gpg",
      "--passphrase-file",
      "pass.txt",
    ]).status,
  ).toBe(0);
  copyFileSync(makePluginTarball(join(dir, "tamper-evil"), "cliplug", "1.0.0", "evil"), tgz);
  const v = run(["verify", tgz, "--keyring", "keys/pubring.gpg"]);
  expect(v.status).toBe(5);
  expect(v.stdout).toBe("");
  expect(v.stderr).toMatch(
    /^Error: digest mismatch for cliplug-1\.0\.0\.tgz: .*signed by "Cli Author <cli@example.com>".*\nHint: /,
  );
});

test("usage errors exit 2", () => {
  expect(run([]).status).toBe(2);
  expect(run(["sign", "x.tgz"]).stderr).toContain("sign needs --key and --keyring");
  expect(run(["verify", "x.tgz", "--bogus"]).status).toBe(2);
  expect(run(["--help"]).stdout).toContain("capstan-sign keygen");
});
