// Capstan as a new user gets it: from an npm registry, not from this repository. A Verdaccio
// on 127.0.0.1 (uplink: the registry npm is configured for, which serves everything but
// @capstan/*) receives every package through the real release (`tools/release/src/release.mjs
// --registry`); then, in an empty directory with a private npm cache, HOME and global prefix,
// and a PATH holding only node and that prefix: `npm install -g @capstan/cli`, `capstan
// version`, `capstan plugin create`, the project's npm install / typecheck / test / package,
// `capstan plugin install` of the result, a post-render through it, and `npx @capstan/cli`.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "@jest/globals";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const cliVersion: string = JSON.parse(readFileSync(join(repo, "packages/cli/package.json"), "utf8")).version;
const pnpmVersion: string = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).packageManager.split(
  "@",
)[1];
const work = mkdtempSync(join(tmpdir(), "capstan-registry-e2e-"));
const MINUTE = 60_000;

/** The registry npm is configured for (the uplink), read without the repository's .npmrc. */
function upstreamRegistry(): string {
  const r = spawnSync("npm", ["config", "get", "registry"], { cwd: tmpdir(), encoding: "utf8" });
  const url = r.stdout.trim();
  return /^https?:\/\//.test(url) ? url : "https://registry.npmjs.org/";
}

/** NODE_EXTRA_CA_CERTS from npm's `cafile` setting, when npm has one. */
function npmCaFile(): NodeJS.ProcessEnv {
  const r = spawnSync("npm", ["config", "get", "cafile"], { cwd: tmpdir(), encoding: "utf8" });
  const file = r.stdout.trim();
  return file.startsWith("/") && existsSync(file) ? { NODE_EXTRA_CA_CERTS: file } : {};
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let verdaccio: ChildProcess | undefined;
let verdaccioLog = "";
let registry = "";
/** The user's environment: nothing inherited from this repository's npm/pnpm run. */
let userEnv: NodeJS.ProcessEnv = {};

interface Run {
  code: number | null;
  out: string;
}
/**
 * Runs a command; fails the test with its output unless it exits 0. A command that fetches
 * through verdaccio's uplink is tried up to three times when the uplink answered 404 or failed
 * (a proxied packument can fail transiently; the packages themselves are not in question).
 */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): Run {
  for (let attempt = 1; ; attempt++) {
    // niced: this runs beside other packages' tests, some of which time plugin calls.
    const r = spawnSync("nice", ["-n", "10", cmd, ...args], {
      cwd,
      env,
      input,
      encoding: "utf8",
      timeout: 12 * MINUTE,
      maxBuffer: 64 << 20,
    });
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (r.status === 0) return { code: r.status, out: r.stdout };
    const transient = /npm error (code E404|code ETIMEDOUT|code ECONNRESET|code E5\d\d)/.test(out);
    if (
      !transient ||
      attempt === 3 ||
      /@capstan(\/|%2f)/i.test(out.match(/404 Not Found - GET \S+/)?.[0] ?? "")
    ) {
      throw new Error(
        `\`${cmd} ${args.join(" ")}\` in ${cwd} exited ${r.status ?? r.signal}:\n${out.slice(-6000)}\n` +
          `verdaccio log:\n${verdaccioLog.slice(-4000)}`,
      );
    }
  }
}

beforeAll(async () => {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const config = join(work, "verdaccio.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(work, "storage")}`,
      "auth:",
      `  htpasswd: { file: ${join(work, "htpasswd")}, max_users: 10 }`,
      "uplinks:",
      // Metadata fetched once per run is enough (the default re-fetches every 2 minutes).
      // A failed fetch must not take the uplink offline for the others (the default: 2 fails, 5 m).
      `  upstream: { url: ${upstreamRegistry()}, timeout: 120s, max_fails: 1000, fail_timeout: 1s, maxage: 60m }`,
      "packages:",
      // Never proxied: what the test published is all there is of @capstan.
      "  '@capstan/*': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, publish: $authenticated, proxy: upstream }",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const bin = join(
    dirname(createRequire(import.meta.url).resolve("verdaccio/package.json")),
    "bin",
    "verdaccio",
  );
  verdaccio = spawn(process.execPath, [bin, "--config", config, "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
    // The CA certificates npm is configured with (its `cafile`), for the uplink's TLS: a machine
    // whose registry traffic passes a TLS proxy has them only there, and turbo runs tests with
    // a filtered environment.
    env: { ...process.env, ...npmCaFile() },
  });
  verdaccio.stdout?.on("data", (b: Buffer) => (verdaccioLog += b));
  verdaccio.stderr?.on("data", (b: Buffer) => (verdaccioLog += b));
  // Generous: on a busy machine verdaccio takes a while to load (it exits early on a real error).
  const deadline = Date.now() + 5 * MINUTE;
  for (;;) {
    try {
      if ((await fetch(`${registry}-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || verdaccio.exitCode !== null)
      throw new Error(`verdaccio did not start:\n${verdaccioLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // A user who may publish; the token goes into the publisher's private npmrc.
  const res = await fetch(`${registry}-/user/org.couchdb.user:capstan`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "capstan", password: "capstan-e2e-password", email: "e2e@example.invalid" }),
  });
  const { token } = (await res.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio refused the test user (${res.status})`);
  const hostPart = registry.replace(/^http:/, "");
  const publisherRc = join(work, "publisher.npmrc");
  writeFileSync(publisherRc, `registry=${registry}\n${hostPart}:_authToken=${token}\n`);

  const publisherEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)),
  ) as NodeJS.ProcessEnv;
  run(process.execPath, [join(repo, "tools/release/src/release.mjs"), "--registry", registry], repo, {
    ...publisherEnv,
    npm_config_userconfig: publisherRc,
    // pnpm through the registry npm is configured for, not through verdaccio's uplink
    CAPSTAN_PNPM: execFileSync("npx", ["--yes", "-p", `pnpm@${pnpmVersion}`, "-c", "command -v pnpm"], {
      cwd: tmpdir(),
      encoding: "utf8",
    }).trim(),
  });

  const home = join(work, "home");
  const prefix = join(work, "prefix");
  mkdirSync(home);
  mkdirSync(prefix);
  const userRc = join(home, ".npmrc");
  // prefer-offline: what this run already fetched from the registry into the private cache is
  // not revalidated by every later npm command (the packages still all came from the registry).
  writeFileSync(
    userRc,
    `registry=${registry}\nfund=false\naudit=false\nupdate-notifier=false\nprefer-offline=true\n`,
  );
  userEnv = {
    HOME: home,
    PATH: [join(prefix, "bin"), dirname(process.execPath), "/usr/bin", "/bin"].join(":"),
    LANG: "C.UTF-8",
    TMPDIR: tmpdir(),
    npm_config_userconfig: userRc,
    npm_config_cache: join(work, "npm-cache"),
    npm_config_prefix: prefix,
  };
}, 25 * MINUTE);

afterAll(() => {
  verdaccio?.kill();
  rmSync(work, { recursive: true, force: true });
});

test(
  "a user installs the CLI from the registry, creates, tests, packages, installs and runs a plugin",
  () => {
    const empty = join(work, "user");
    mkdirSync(empty);
    run("npm", ["install", "-g", "@capstan/cli"], empty, userEnv);
    const capstan = join(userEnv.npm_config_prefix!, "bin", "capstan");
    expect(existsSync(capstan)).toBe(true);
    expect(run("capstan", ["version"], empty, userEnv).out).toBe(
      `capstan ${cliVersion} (node ${process.version}, ${process.platform}/${process.arch})\n`,
    );

    run("capstan", ["plugin", "create", "--type", "postrenderer", "tagger"], empty, userEnv);
    const project = join(empty, "tagger");
    const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    expect(pkg.dependencies["@capstan/pdk"]).toBe(`^${cliVersion}`);
    run("npm", ["install"], project, userEnv);
    run("npm", ["install", "yaml"], project, userEnv);
    // Nothing of the monorepo: every @capstan package came from the registry.
    const installed = readdirSync(join(project, "node_modules", "@capstan"));
    expect(installed).toEqual(expect.arrayContaining(["cli", "pdk", "compiler", "engine"]));
    for (const name of installed) {
      const p = JSON.parse(
        readFileSync(join(project, "node_modules", "@capstan", name, "package.json"), "utf8"),
      );
      expect([name, p.version]).toEqual([name, cliVersion]);
    }
    run("npm", ["run", "typecheck"], project, userEnv);
    run("npm", ["test"], project, userEnv);
    run("npm", ["run", "package"], project, userEnv);
    const tgz = join(project, "dist", "tagger-0.1.0.tgz");
    expect(existsSync(tgz)).toBe(true);

    run("capstan", ["plugin", "install", tgz, "--verify=false"], empty, userEnv);
    expect(run("capstan", ["plugin", "list"], empty, userEnv).out).toContain("tagger");
    const manifests = "---\nkind: Secret\nmetadata:\n  name: a\n---\nkind: Service\nmetadata:\n  name: b\n";
    expect(
      run("capstan", ["postrender", "tagger", "--", "--drop-kind", "Secret"], empty, userEnv, manifests).out,
    ).toBe("---\nkind: Service\nmetadata:\n  name: b\n");

    // npx with a fresh global prefix: fetched from the registry into the private cache.
    const npxEnv = { ...userEnv, npm_config_prefix: join(work, "prefix-npx") };
    expect(run("npx", ["--yes", "@capstan/cli", "version", "--short"], empty, npxEnv).out).toBe(
      `${cliVersion}\n`,
    );
  },
  30 * MINUTE,
);
