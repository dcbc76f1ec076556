// git source: a real repository served by `git daemon`, tags selected by SemVer constraint,
// verified by signed tags (signed with GnuPG from keys made by @capstan/signing).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { loadManifest } from "@capstan/manifest";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { resolveSettings } from "../src/helm-env.js";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { provenanceStatus } from "../src/install/provenance-status.js";
import { makeKey, type TestKey, tempDir } from "./helpers/dist-fixtures.js";
import { startGitHttp } from "./helpers/git-http.js";
import { freePort } from "./helpers/registry.js";

const work = tempDir("capstan-git-");
const gnupg = tempDir("capstan-gpg-");
const repo = join(work, "srv", "tool.git");
let trusted: TestKey;
let stranger: TestKey;
let daemon: ChildProcess;
let url: string;
let homes = 0;

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

/** Commits plugin.yaml with `version` and tags it. */
function release(version: string, tag: string, how: "light" | "annotated" | TestKey): void {
  writeFileSync(
    join(repo, "plugin.yaml"),
    `name: tool\nversion: ${version}\nusage: git plugin\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n`,
  );
  writeFileSync(join(repo, "run.sh"), `#!/bin/sh\necho tool ${version}\n`);
  g("add", "-A");
  g("commit", "-q", "-m", `release ${version}`);
  if (how === "light") g("tag", tag);
  else if (how === "annotated") g("tag", "-a", "-m", tag, tag);
  else g("-c", `user.signingkey=${how.fingerprint}`, "tag", "-s", "-m", tag, tag);
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
  [trusted, stranger] = await Promise.all([
    makeKey(join(work, "keys"), "Git Signer"),
    makeKey(join(work, "keys"), "Git Stranger"),
  ]);
  for (const k of [trusted, stranger]) {
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
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((r) => {
      const s = connect(port, "127.0.0.1", () => r(s.end() !== undefined)).on("error", () => r(false));
    });
    if (up) break;
    if (i > 200) throw new Error("git daemon did not start");
    await new Promise((r) => setTimeout(r, 25));
  }
  url = `git://127.0.0.1:${port}/tool.git`;
}, 60_000);

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
  expect(await provenanceStatus(loaded, stranger.publicKeyring)).toMatchObject({ status: "unknown-key" });
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
  expect(foreign).toMatchObject({ code: "GIT_TAG_UNVERIFIED" });
  expect((foreign as Error).message).toMatch(/not in the keyring/);
  // Highest tag by default: v1.3.0, whose plugin.yaml says 1.2.9.
  await expect(installPlugin(url, h.opts)).rejects.toMatchObject({ code: "GIT_TAG_MISMATCH" });
  await expect(installPlugin(url, { ...h.opts, version: "^7" })).rejects.toMatchObject({
    code: "INSTALL_VERSION_NOT_FOUND",
    exitCode: 4,
  });
  // Verification off installs the unsigned tag (with a warning).
  const r = await installPlugin(url, { ...h.opts, version: "0.9.0", verify: false });
  expect(r).toMatchObject({ version: "0.9.0", provenance: null });
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
