// The example plugins' part of the demo: the way they reach users. A throwaway signing key,
// the three samples packaged and signed, served over HTTP on 127.0.0.1, installed with
// verification, listed, then used (pull from a local S3 server, post-render a multi-document
// manifest, diff two manifest sets), and a tampered tarball refused.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const SAMPLES = ["add-labels", "diff", "s3"];

/** Starts a node child process running `script` that prints one JSON line; resolves to it. */
async function child(args, env) {
  const p = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"], env });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: p.stdout }).once("line", resolve);
    p.once("exit", (c) => reject(new Error(`${args[0]} exited with ${c}`)));
  });
  const stop = () =>
    new Promise((r) => {
      p.once("exit", r);
      p.stdin.end();
    });
  return { info: JSON.parse(line), stop };
}

// A static file server in a child process (capstan runs synchronously from the demo).
const STATIC_SERVER = `
const { createServer } = require("node:http");
const { readFile } = require("node:fs/promises");
const { join, normalize } = require("node:path");
const root = process.argv[1];
const s = createServer(async (req, res) => {
  const p = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^([/\\\\.])+/, "");
  try { const b = await readFile(join(root, p)); res.writeHead(200, { "content-length": b.length }); res.end(b); }
  catch { res.writeHead(404); res.end("not found"); }
});
s.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ url: "http://127.0.0.1:" + s.address().port })));
process.stdin.on("end", () => s.close(() => process.exit(0))); process.stdin.resume();`;

/**
 * Runs the samples part. `capstan(args, opts)` runs the CLI (opts: input, expectCode, env);
 * `run(cmd, args)` runs another command shown like capstan's; `section(title)` prints a heading.
 */
export async function samplesDemo({ root, home, work, env, capstan, run, section }) {
  const examples = join(root, "plugins-examples");
  const missing = SAMPLES.filter((n) => !existsSync(join(examples, n, "plugin.wasm")));
  if (missing.length > 0) {
    console.log(`  (skipped: ${missing.join(", ")} not built; run npm run build)`);
    return;
  }
  const keys = join(home, "keys");
  const stage = join(home, "stage");
  const dist = join(home, "dist");
  mkdirSync(dist);

  section("Publish: a throwaway signing key, the three samples packaged and signed");
  run(
    process.execPath,
    [
      join(root, "packages", "signing", "bin", "capstan-sign.js"),
      "keygen",
      "--name",
      "Demo Publisher",
      "--email",
      "demo@example.com",
      "--out",
      keys,
      // A throwaway key, deliberately unprotected (keygen warns about it on stderr).
      "--no-passphrase",
    ],
    "capstan-sign",
  );
  for (const name of SAMPLES) {
    // What gets published: plugin.yaml, plugin.wasm and the README (not sources or tests).
    mkdirSync(join(stage, name), { recursive: true });
    for (const f of ["plugin.yaml", "plugin.wasm", "README.md"])
      copyFileSync(join(examples, name, f), join(stage, name, f));
    // Everything staged is the plugin; the file says so (without one, package warns).
    writeFileSync(join(stage, name, ".helmignore"), ".helmignore\n");
    capstan([
      "plugin",
      "package",
      join(stage, name),
      "-d",
      dist,
      "--sign",
      "--key",
      "demo@example.com",
      "--keyring",
      join(keys, "secring.gpg"),
    ]);
  }

  const server = await child(["-e", STATIC_SERVER, dist], env);
  const s3seed = join(work, "web-1.0.0.tgz");
  writeFileSync(s3seed, readFileSync(join(dist, "add-labels-0.1.0.tgz"))); // any bytes will do: a real chart is a .tgz too
  const s3 = await child(
    [join(examples, "s3", "test", "local-s3.mjs"), "charts", "--put", `charts/web-1.0.0.tgz=${s3seed}`],
    env,
  );
  try {
    section(`Install over HTTP (${server.info.url}), verified against the publisher's key`);
    for (const name of SAMPLES) {
      capstan([
        "plugin",
        "install",
        `${server.info.url}/${name}-0.1.0.tgz`,
        "--keyring",
        join(keys, "pubring.gpg"),
      ]);
    }
    // The keyring that `plugin list` checks recorded signatures against (CAPSTAN_KEYRING).
    capstan(["plugin", "list"], { env: { CAPSTAN_KEYRING: join(keys, "pubring.gpg") } });

    section("A plugin repository: index the published directory, add it, search it, install by name");
    capstan([
      "plugin",
      "repo",
      "index",
      dist,
      "--provider",
      "Demo Publisher",
      "--repo-name",
      "samples",
      "--sign",
      "--key",
      "demo@example.com",
      "--keyring",
      join(keys, "secring.gpg"),
    ]);
    capstan(["plugin", "repo", "add", "samples", server.info.url, "--keyring", join(keys, "pubring.gpg")]);
    capstan(["plugin", "search"]);
    capstan(["plugin", "search", "label", "--versions"]);
    const byName = join(home, "plugins-repo");
    mkdirSync(byName);
    capstan(["plugin", "install", "samples/add-labels", "--keyring", join(keys, "pubring.gpg")], {
      env: { CAPSTAN_PLUGINS: byName },
    });
    capstan(["plugin", "update", "add-labels", "--keyring", join(keys, "pubring.gpg")], {
      env: { CAPSTAN_PLUGINS: byName },
    });
    capstan(["plugin", "list"], {
      env: { CAPSTAN_PLUGINS: byName, CAPSTAN_KEYRING: join(keys, "pubring.gpg") },
    });

    section("s3 getter: `capstan pull s3://...` from a local S3 server that checks SigV4 signatures");
    const awsEnv = {
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_S3: s3.info.endpoint,
    };
    capstan(["pull", "s3://charts/web-1.0.0.tgz", "-d", work], { env: awsEnv });
    const same = Buffer.compare(readFileSync(join(work, "web-1.0.0.tgz")), readFileSync(s3seed)) === 0;
    console.log(
      `  downloaded ${readFileSync(join(work, "web-1.0.0.tgz")).length} bytes, identical to the object: ${same}`,
    );
    console.log("  now with AWS_SECRET_ACCESS_KEY=wrong: the server's signature check refuses the request");
    capstan(["pull", "s3://charts/web-1.0.0.tgz", "-o", "-"], {
      env: { ...awsEnv, AWS_SECRET_ACCESS_KEY: "wrong" },
      expectCode: 6,
    });

    section("add-labels post-renderer: a multi-document manifest, comments and order kept");
    const web = readFileSync(join(examples, "add-labels", "test", "fixtures", "web.yaml"), "utf8");
    capstan(
      [
        "postrender",
        "add-labels",
        "--",
        "--label",
        "team=payments",
        "--registry",
        "docker.io=mirror.example.com",
      ],
      { input: web },
    );

    section("diff cli plugin: two manifest sets, resource by resource (exit code 2: they differ)");
    for (const f of ["before.yaml", "after.yaml"])
      copyFileSync(join(examples, "diff", "test", "fixtures", f), join(work, f));
    capstan(["diff", "before.yaml", "after.yaml"], { expectCode: 2 });

    section("A tampered tarball is refused (exit code 5), and nothing is installed");
    const tampered = join(dist, "tampered");
    mkdirSync(tampered);
    const tgz = readFileSync(join(dist, "add-labels-0.1.0.tgz"));
    tgz[tgz.length - 20] ^= 0xff; // one flipped byte in the gzip stream
    writeFileSync(join(tampered, "add-labels-0.1.0.tgz"), tgz);
    copyFileSync(join(dist, "add-labels-0.1.0.tgz.prov"), join(tampered, "add-labels-0.1.0.tgz.prov"));
    const fresh = join(home, "plugins-fresh");
    mkdirSync(fresh);
    capstan(
      [
        "plugin",
        "install",
        `${server.info.url}/tampered/add-labels-0.1.0.tgz`,
        "--keyring",
        join(keys, "pubring.gpg"),
      ],
      {
        env: { CAPSTAN_PLUGINS: fresh },
        expectCode: 5,
      },
    );
    capstan(["plugin", "list"], { env: { CAPSTAN_PLUGINS: fresh } });
  } finally {
    await s3.stop();
    await server.stop();
  }
}

/** Runs a command and prints it like a terminal session (used for capstan-sign). */
export function runShown(cmd, args, shownAs, { env, cwd, home, bold }) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env, cwd, encoding: "utf8" });
  const ms = performance.now() - t;
  const shown = args
    .slice(1)
    .map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a))
    .join(" ");
  console.log(`${bold("$")} ${shownAs} ${shown.replaceAll(home, "$DEMO")}  (${ms.toFixed(0)} ms)`);
  const out = `${r.stdout}${r.stderr}`.replaceAll(home, "$DEMO");
  if (out.trim()) console.log(out.replace(/\n$/, "").replace(/^/gm, "  "));
  return r;
}
