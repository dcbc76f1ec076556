// The capstan-sign bin, spawned as users run it (from the built dist/).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import * as openpgp from "openpgp";
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

/** Whether `<dir>/<sub>/private.asc` holds a passphrase-protected key. */
async function isProtected(sub: string): Promise<boolean> {
  const key = await openpgp.readPrivateKey({
    armoredKey: readFileSync(join(dir, sub, "private.asc"), "utf8"),
  });
  return !key.isDecrypted();
}

/** Runs keygen on a real terminal (util-linux `script` gives it a pty), answering its prompts. */
function keygenOnTerminal(out: string, answers: string[]): Promise<{ code: number | null; output: string }> {
  const cmd = [
    process.execPath,
    bin,
    "keygen",
    "--name",
    "Tty Author",
    "--email",
    "tty@example.com",
    "--out",
    out,
  ]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-q", "-e", "-c", cmd, "/dev/null"], { cwd: dir, stdio: "pipe" });
    let output = "";
    let prompts = 0;
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      // Answer each prompt once it is shown (echo is off by then).
      const shown = (output.match(/Passphrase for the new key|Repeat the passphrase/g) ?? []).length;
      while (prompts < shown && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\r`);
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
}

test("keygen asks for the passphrase on a terminal, twice, without echo", async () => {
  const ok = await keygenOnTerminal("tty-keys", ["tty secret", "tty secret"]);
  expect(ok.code).toBe(0);
  expect(ok.output).toContain("Passphrase for the new key (empty for none): ");
  expect(ok.output).toContain("Repeat the passphrase: ");
  expect(ok.output).not.toContain("tty secret");
  expect(ok.output).not.toContain("warning:");
  expect(await isProtected("tty-keys")).toBe(true);
  writeFileSync(join(dir, "tty-pass.txt"), "tty secret\n");
  const tgz = makePluginTarball(join(dir, "ttyplug"), "ttyplug", "1.0.0");
  const args = ["sign", tgz, "--key", "Tty Author", "--keyring", "tty-keys/secring.gpg"];
  expect(run([...args, "--passphrase-file", "tty-pass.txt"]).status).toBe(0);

  const differ = await keygenOnTerminal("tty-differ", ["one", "two"]);
  expect(differ.code).toBe(2);
  expect(differ.output).toContain("the two passphrases differ; no key was written");
  expect(existsSync(join(dir, "tty-differ"))).toBe(false);

  const empty = await keygenOnTerminal("tty-empty", [""]);
  expect(empty.code).toBe(0);
  expect(empty.output).toContain("warning: the private key in tty-empty/private.asc");
  expect(await isProtected("tty-empty")).toBe(false);
}, 60_000);

test("keygen off a terminal needs a passphrase choice; --no-passphrase warns on stderr", async () => {
  const none = run(["keygen", "--name", "N", "--email", "n@example.com", "--out", "no-choice"]);
  expect(none.status).toBe(2);
  expect(none.stderr).toContain(
    "keygen needs --passphrase-file <f>, --passphrase-stdin or --no-passphrase when stdin is not a terminal",
  );
  expect(existsSync(join(dir, "no-choice"))).toBe(false);
  const both = run([
    "keygen",
    "--name",
    "N",
    "--email",
    "n@example.com",
    "--no-passphrase",
    "--passphrase-stdin",
  ]);
  expect(both.status).toBe(2);
  expect(both.stderr).toContain(
    "keygen takes one of --passphrase-file, --passphrase-stdin and --no-passphrase",
  );

  const open = run([
    "keygen",
    "--name",
    "Open",
    "--email",
    "o@example.com",
    "--out",
    "open-keys",
    "--no-passphrase",
  ]);
  expect(open.status).toBe(0);
  expect(open.stderr).toBe(
    "warning: the private key in open-keys/private.asc and open-keys/secring.gpg is not protected by a passphrase: " +
      "anyone who can read these files can sign as you; keep them private, or generate a key with a passphrase\n",
  );
  expect(await isProtected("open-keys")).toBe(false);

  const piped = run(
    ["keygen", "--name", "Piped", "--email", "p@example.com", "--out", "piped-keys", "--passphrase-stdin"],
    "from stdin\n",
  );
  expect(piped.status).toBe(0);
  expect(piped.stderr).toBe("");
  expect(await isProtected("piped-keys")).toBe(true);
});
