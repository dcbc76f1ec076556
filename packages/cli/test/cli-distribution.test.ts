// Distribution commands through the built binary: package (+sign), sign, verify, install from
// a .tgz, a directory and an OCI registry, update, push, uninstall; exit codes per failure.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createProvenance, generateKey, loadKeyring, selectSigningKey } from "@capstan/signing";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type Registry, startRegistry } from "../../distribution/test/helpers/registry.js";
import { capstan, type Home, makeHome, requireBuild } from "./helpers.js";

let home: Home;
let registry: Registry;
let pub: string;
let sec: string;
let fingerprint: string;
let src: string;

function writeSource(version: string): void {
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, "plugin.yaml"),
    `name: dist\nversion: ${version}\nusage: "dist test"\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n`,
  );
  writeFileSync(join(src, "run.sh"), `#!/bin/sh\necho dist ${version} "$@"\n`, { mode: 0o755 });
  mkdirSync(join(src, "notes"), { recursive: true });
  writeFileSync(join(src, "notes", "todo.md"), "not packaged\n");
  writeFileSync(join(src, ".helmignore"), "notes/\n");
}

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  const key = await generateKey({ name: "CLI Signer", email: "cli@example.com" });
  fingerprint = key.fingerprint;
  pub = join(home.root, "pub.asc");
  sec = join(home.root, "sec.asc");
  writeFileSync(pub, key.publicKeyArmored);
  writeFileSync(sec, key.privateKeyArmored);
  src = join(home.root, "src", "dist");
  writeSource("1.0.0");
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.stop();
  home?.remove();
});

describe("package, sign, verify", () => {
  test("package --sign writes a deterministic archive and a .prov that verify accepts", async () => {
    const a = await capstan(home, [
      "plugin",
      "package",
      src,
      "-d",
      "out",
      "--sign",
      "--key",
      "CLI Signer",
      "--keyring",
      sec,
    ]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    expect(a.stdout).toContain(`saved it to: ${join(home.root, "out", "dist-1.0.0.tgz")}`);
    // The packed files with sizes and a total; .helmignore left notes/ out.
    expect(a.stdout).toMatch(
      /^FILE +SIZE\n\.helmignore {2}7 B\nplugin\.yaml {2}\d+ B\nrun\.sh {7}\d+ B\nTotal: 3 files, \d+ B \(archive \d+ B\)\n/,
    );
    expect(a.stdout).not.toContain("notes");
    const first = readFileSync(join(home.root, "out", "dist-1.0.0.tgz"));
    const b = await capstan(home, ["plugin", "package", src, "-d", "out2"]);
    expect(b.code).toBe(0);
    expect(Buffer.compare(first, readFileSync(join(home.root, "out2", "dist-1.0.0.tgz")))).toBe(0);

    const v = await capstan(home, ["plugin", "verify", "out/dist-1.0.0.tgz", "--keyring", pub]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("Signed by: CLI Signer <cli@example.com>");
    expect(v.stdout).toContain(`Using Key With Fingerprint: ${fingerprint}`);
    expect(v.stdout).toMatch(/Plugin Hash Verified: sha256:[0-9a-f]{64}/);
  });

  test("a passphrase-protected key signs with --passphrase-file (file or stdin)", async () => {
    const k = await generateKey({
      name: "Locked Signer",
      email: "locked@example.com",
      passphrase: "open sesame",
    });
    writeFileSync(join(home.root, "locked.asc"), k.privateKeyArmored);
    writeFileSync(join(home.root, "locked.pub.asc"), k.publicKeyArmored);
    writeFileSync(join(home.root, "pass.txt"), "open sesame\n");
    const args = [
      "plugin",
      "package",
      src,
      "-d",
      "locked",
      "--sign",
      "--key",
      "Locked",
      "--keyring",
      "locked.asc",
    ];
    const noPass = await capstan(home, args);
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toMatch(/passphrase/i);
    // The key is checked before anything is written: no unsigned archive is left behind.
    expect(existsSync(join(home.root, "locked"))).toBe(false);
    expect((await capstan(home, [...args, "--passphrase-file", "pass.txt"])).code).toBe(0);
    expect(
      (await capstan(home, ["plugin", "verify", "locked/dist-1.0.0.tgz", "--keyring", "locked.pub.asc"]))
        .code,
    ).toBe(0);
    const viaStdin = await capstan(home, [...args, "--passphrase-file", "-"], { input: "open sesame\n" });
    expect(viaStdin.code).toBe(0);
  });

  test("package without a .helmignore packs every file and warns", async () => {
    const bare = join(home.root, "src", "bare");
    mkdirSync(join(bare, "src"), { recursive: true });
    writeFileSync(join(bare, "plugin.yaml"), 'name: bare\nversion: 0.1.0\nusage: "bare"\ncommand: "true"\n');
    writeFileSync(join(bare, "src", "index.ts"), "export {};\n");
    const r = await capstan(home, ["plugin", "package", bare, "-d", "bare-out"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `warning: ${bare} has no .helmignore: packing every file in it; add one (gitignore syntax) to leave out sources, tests and node_modules\n`,
    );
    expect(r.stdout).toMatch(/\nsrc\/index\.ts {2}11 B\nTotal: 2 files, /);
  });

  test("package --sign checks key, keyring and passphrase before writing anything (exit 2)", async () => {
    const base = ["plugin", "package", src, "-d", "nothing", "--sign"];
    const missing = await capstan(home, [...base, "--key", "CLI Signer", "--keyring", "no-secring.gpg"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("secret keyring no-secring.gpg does not exist");
    expect(missing.stderr).toMatch(/hint: .*gpg --export-secret-keys/);
    expect(missing.stdout).toBe("");
    const publicOnly = await capstan(home, [...base, "--key", "CLI Signer", "--keyring", pub]);
    expect(publicOnly.code).toBe(2);
    expect(publicOnly.stderr).toMatch(/only its public part[\s\S]*hint: .*gpg --export-secret-keys/);
    const noMatch = await capstan(home, [...base, "--key", "Someone Else", "--keyring", sec]);
    expect(noMatch.code).toBe(2);
    expect(noMatch.stderr).toContain('no secret key matches "Someone Else"');
    const noPassFile = await capstan(home, [
      ...base,
      "--key",
      "CLI Signer",
      "--keyring",
      sec,
      "--passphrase-file",
      "absent.txt",
    ]);
    expect(noPassFile.code).toBe(2);
    const noKeyFlag = await capstan(home, [...base]);
    expect(noKeyFlag.code).toBe(2);
    expect(existsSync(join(home.root, "nothing"))).toBe(false);
  });

  test("sign signs an existing archive; a tampered archive fails verify with exit 5", async () => {
    const s = await capstan(home, [
      "plugin",
      "sign",
      "out2/dist-1.0.0.tgz",
      "--key",
      fingerprint,
      "--keyring",
      sec,
    ]);
    expect(s.code).toBe(0);
    expect((await capstan(home, ["plugin", "verify", "out2/dist-1.0.0.tgz", "--keyring", pub])).code).toBe(0);
    const bytes = readFileSync(join(home.root, "out2", "dist-1.0.0.tgz"));
    bytes[bytes.length - 20]! ^= 1;
    writeFileSync(join(home.root, "out2", "dist-1.0.0.tgz"), bytes);
    const bad = await capstan(home, ["plugin", "verify", "out2/dist-1.0.0.tgz", "--keyring", pub]);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/digest mismatch/);
    const missing = await capstan(home, ["plugin", "sign", "nope.tgz", "--key", "x", "--keyring", sec]);
    expect(missing.code).toBe(4);
  });

  test("plugin sign and plugin verify handle a Helm chart .tgz (Chart.yaml metadata)", async () => {
    const chart = join(home.root, "chart-src", "web");
    mkdirSync(join(chart, "templates"), { recursive: true });
    writeFileSync(
      join(chart, "Chart.yaml"),
      "apiVersion: v2\nname: web\nversion: 1.2.3\ntype: application\n",
    );
    writeFileSync(join(chart, "templates", "cm.yaml"), "kind: ConfigMap\n");
    mkdirSync(join(home.root, "charts"), { recursive: true });
    execFileSync("tar", [
      "-czf",
      join(home.root, "charts", "web-1.2.3.tgz"),
      "-C",
      join(home.root, "chart-src"),
      "web",
    ]);
    const s = await capstan(home, [
      "plugin",
      "sign",
      "charts/web-1.2.3.tgz",
      "--key",
      "CLI Signer",
      "--keyring",
      sec,
    ]);
    expect(s.stderr).toBe("");
    expect(s.code).toBe(0);
    expect(readFileSync(join(home.root, "charts", "web-1.2.3.tgz.prov"), "utf8")).toContain(
      "name: web\nversion: 1.2.3\n",
    );
    const v = await capstan(home, ["plugin", "verify", "charts/web-1.2.3.tgz", "--keyring", pub]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/\nChart Hash Verified: sha256:[0-9a-f]{64}\n$/);
  });
});

describe("install, update, uninstall, push", () => {
  test("install a signed .tgz, refuse it without the keyring's key, link a directory", async () => {
    const noKey = await capstan(home, [
      "plugin",
      "install",
      "out/dist-1.0.0.tgz",
      "--keyring",
      join(home.root, "nothing.asc"),
    ]);
    expect(noKey.code).toBe(5);
    const ok = await capstan(home, ["plugin", "install", "out/dist-1.0.0.tgz", "--keyring", pub]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("Installed plugin: dist 1.0.0");
    expect(ok.stdout).toContain(
      `Verified: signed by CLI Signer <cli@example.com> (fingerprint ${fingerprint}`,
    );
    const run = await capstan(home, ["dist", "a"]);
    expect(run.stdout).toBe("dist 1.0.0 a\n");
    const list = await capstan(home, ["plugin", "list"]);
    expect(list.stdout).toMatch(/dist\s+1\.0\.0/);
    const again = await capstan(home, ["plugin", "install", "out/dist-1.0.0.tgz", "--keyring", pub]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already installed[\s\S]*hint: .*capstan plugin update dist/);
    expect((await capstan(home, ["plugin", "update", "dist", "--keyring", pub])).stdout).toBe(
      "dist is up to date (1.0.0)\n",
    );
    const rm = await capstan(home, ["plugin", "uninstall", "dist"]);
    expect(rm.stdout).toBe("Uninstalled plugin: dist\n");
    expect((await capstan(home, ["plugin", "uninstall", "dist"])).code).toBe(4);

    const linked = await capstan(home, ["plugin", "install", src]);
    expect(linked.code).toBe(0);
    expect(linked.stdout).toMatch(/Development mode: linked .* not verified/);
    const all = await capstan(home, ["plugin", "update", "--all"]);
    expect(all.stdout).toContain("Skipped dist: linked directory (development mode)");
    expect((await capstan(home, ["plugin", "uninstall", "dist"])).code).toBe(0);
    expect(readFileSync(join(src, "plugin.yaml"), "utf8")).toContain("name: dist");
  });

  test("push to a registry, install from oci://, update to a newer push", async () => {
    const pushed = await capstan(home, [
      "plugin",
      "push",
      "out/dist-1.0.0.tgz",
      `oci://${registry.host}/plugins`,
      "--plain-http",
    ]);
    expect(pushed.stderr).toBe("");
    expect(pushed.stdout).toContain(`Pushed: oci://${registry.host}/plugins/dist:1.0.0`);
    expect(pushed.stdout).toContain("Provenance: pushed");
    const ok = await capstan(home, [
      "plugin",
      "install",
      `oci://${registry.host}/plugins/dist`,
      "--plain-http",
      "--keyring",
      pub,
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("Installed plugin: dist 1.0.0");
    writeSource("1.1.0");
    expect(
      (
        await capstan(home, [
          "plugin",
          "package",
          src,
          "-d",
          "out3",
          "--sign",
          "--key",
          "CLI Signer",
          "--keyring",
          sec,
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await capstan(home, [
          "plugin",
          "push",
          "out3/dist-1.1.0.tgz",
          `oci://${registry.host}/plugins/dist`,
          "--plain-http",
        ])
      ).code,
    ).toBe(0);
    const up = await capstan(home, ["plugin", "update", "dist", "--plain-http", "--keyring", pub]);
    expect(up.stdout).toBe("Updated plugin: dist 1.0.0 -> 1.1.0 (signed by CLI Signer <cli@example.com>)\n");
    expect((await capstan(home, ["dist"])).stdout).toBe("dist 1.1.0\n");
    const down = await capstan(home, [
      "plugin",
      "update",
      "dist",
      "--version",
      "1.0.0",
      "--plain-http",
      "--keyring",
      pub,
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/refusing to downgrade dist from 1\.1\.0 to 1\.0\.0[\s\S]*--force/);
  });

  test("install refuses a .prov whose signed name/version differ from plugin.yaml, a renamed tarball and an empty .prov", async () => {
    // Start from a home without dist, so a refusal cannot be confused with "already installed".
    await capstan(home, ["plugin", "uninstall", "dist"]);
    mkdirSync(join(home.root, "threat"), { recursive: true });
    const tgz = join(home.root, "threat", "dist-1.0.0.tgz");
    const bytes = readFileSync(join(home.root, "out", "dist-1.0.0.tgz"));
    writeFileSync(tgz, bytes);
    const signingKey = await selectSigningKey(await loadKeyring(sec), fingerprint);
    // Correct digest, but the signed metadata says another version.
    writeFileSync(
      `${tgz}.prov`,
      await createProvenance({
        tarballBytes: bytes,
        fileName: "dist-1.0.0.tgz",
        signingKey,
        metadata: "name: dist\nversion: 2.0.0\n",
      }),
    );
    const meta = await capstan(home, ["plugin", "install", "threat/dist-1.0.0.tgz", "--keyring", pub]);
    expect(meta.code).toBe(5);
    expect(meta.stdout).toBe("");
    expect(meta.stderr).toMatch(
      /signed by "CLI Signer <cli@example\.com>".* signs plugin dist 2\.0\.0, but the tarball's plugin\.yaml is dist 1\.0\.0/,
    );
    expect(meta.stderr).toMatch(/hint: /);
    // A correct .prov beside a renamed copy of the tarball.
    writeFileSync(join(home.root, "threat", "dist-1.0.1.tgz"), bytes);
    writeFileSync(
      join(home.root, "threat", "dist-1.0.1.tgz.prov"),
      readFileSync(join(home.root, "out", "dist-1.0.0.tgz.prov")),
    );
    const renamed = await capstan(home, ["plugin", "install", "threat/dist-1.0.1.tgz", "--keyring", pub]);
    expect(renamed.code).toBe(5);
    expect(renamed.stderr).toMatch(
      /does not list dist-1\.0\.1\.tgz; it signs dist-1\.0\.0\.tgz \(renamed tarball\?\)/,
    );
    writeFileSync(`${tgz}.prov`, "");
    const empty = await capstan(home, ["plugin", "install", "threat/dist-1.0.0.tgz", "--keyring", pub]);
    expect(empty.code).toBe(5);
    expect(empty.stderr).toMatch(/provenance file .*dist-1\.0\.0\.tgz\.prov is empty/);
    const list = await capstan(home, ["plugin", "list"]);
    expect(list.stdout).not.toMatch(/^dist\s/m);
  });

  test("plugin list PROVENANCE: signed, unknown key with its id, unsigned, local dev, mismatched", async () => {
    await capstan(home, ["plugin", "uninstall", "dist"]);
    expect((await capstan(home, ["plugin", "install", "out/dist-1.0.0.tgz", "--keyring", pub])).code).toBe(0);
    const plain = join(home.root, "src", "plain");
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, "plugin.yaml"), 'name: plain\nversion: 0.1.0\ncommand: "echo"\n');
    expect((await capstan(home, ["plugin", "package", plain, "-d", "plain-out"])).code).toBe(0);
    // No keyring anywhere (no --keyring, no ~/.gnupg): the first thing said is "not signed".
    const refused = await capstan(home, ["plugin", "install", "plain-out/plain-0.1.0.tgz"]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/^error: plain-0\.1\.0\.tgz is not signed/);
    expect(refused.stderr).not.toMatch(/keyring/i);
    const unsigned = await capstan(home, [
      "plugin",
      "install",
      "plain-out/plain-0.1.0.tgz",
      "--verify=false",
    ]);
    expect(unsigned.code).toBe(0);
    expect(unsigned.stderr).toMatch(/WARNING: verification is off/);
    const dev = join(home.root, "src", "devp");
    mkdirSync(dev, { recursive: true });
    writeFileSync(join(dev, "plugin.yaml"), 'name: devp\nversion: 0.0.1\ncommand: "echo"\n');
    expect((await capstan(home, ["plugin", "install", dev])).code).toBe(0);
    const row = (out: string, name: string) => out.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";
    const list = (await capstan(home, ["plugin", "list", "--keyring", pub])).stdout;
    expect(row(list, "dist")).toContain("signed (CLI Signer <cli@example.com>)");
    expect(row(list, "plain")).toMatch(/\sunsigned\s/);
    expect(row(list, "devp")).toMatch(/\slocal dev\s/);
    // No --keyring (and no ~/.gnupg/pubring.gpg): the signer verified at install, not "unknown key".
    const recorded = (await capstan(home, ["plugin", "list"])).stdout;
    expect(row(recorded, "dist")).toContain("signed (CLI Signer <cli@example.com>), verified at install");
    const inspect = await capstan(home, ["plugin", "inspect", "dist"]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toContain(
      "Provenance: signed (CLI Signer <cli@example.com>), verified at install\n",
    );
    expect(inspect.stdout).toContain(`Signer: CLI Signer <cli@example.com> (fingerprint ${fingerprint}`);
    expect(inspect.stdout).toContain("Grants:\n  sandbox: none: a subprocess plugin runs as a program");
    expect((await capstan(home, ["plugin", "inspect", "nope"])).code).toBe(4);
    const stranger = (await capstan(home, ["plugin", "list", "--keyring", "plain-out/plain-0.1.0.tgz"]))
      .stdout;
    expect(row(stranger, "dist")).toMatch(/unknown key [0-9A-F]{16}/);
    // A named keyring that does not exist: the keyring is missing, not the key.
    const noKeyring = await capstan(home, ["plugin", "list", "--keyring", "no-such-pubring.gpg"]);
    expect(row(noKeyring.stdout, "dist")).toMatch(/\skeyring missing \([0-9A-F]{16}\)\s/);
    expect(noKeyring.stdout).not.toContain("unknown key");
    // update --all verifies each plugin again: the unsigned one fails, the others go on.
    const all = await capstan(home, ["plugin", "update", "--all", "--keyring", pub]);
    expect(all.code).toBe(5);
    expect(all.stdout).toContain("dist is up to date (1.0.0)");
    expect(all.stdout).toContain("Skipped devp: linked directory (development mode)");
    expect(all.stderr).toMatch(/error: plain: plain-0\.1\.0\.tgz is not signed: no provenance file at /);
    writeFileSync(join(home.plugins, "dist", "run.sh"), "#!/bin/sh\necho changed\n");
    const edited = (await capstan(home, ["plugin", "list", "--keyring", pub])).stdout;
    expect(row(edited, "dist")).toContain("mismatched (FILES_CHANGED)");
    for (const name of ["dist", "plain", "devp"]) await capstan(home, ["plugin", "uninstall", name]);
  });

  test("install prints the grants; an update that widens them needs --accept-grants", async () => {
    const wasmy = join(home.root, "src", "wasmy");
    mkdirSync(wasmy, { recursive: true });
    writeFileSync(join(wasmy, "plugin.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const publish = async (version: string, config: string) => {
      writeFileSync(
        join(wasmy, "plugin.yaml"),
        `apiVersion: v1\nname: wasmy\nversion: ${version}\ntype: cli/v1\nruntime: extism/v1\nruntimeConfig:\n${config}`,
      );
      expect((await capstan(home, ["plugin", "package", wasmy, "-d", "wasmy-out"])).code).toBe(0);
      writeFileSync(
        join(home.root, "wasmy.tgz"),
        readFileSync(join(home.root, "wasmy-out", `wasmy-${version}.tgz`)),
      );
    };
    await publish("1.0.0", '  allowedHosts: ["api.example.com"]\n');
    const i = await capstan(home, ["plugin", "install", "wasmy.tgz", "--verify=false"]);
    expect(i.code).toBe(0);
    expect(i.stdout).toContain("Grants:\n  network hosts: api.example.com\n  paths: none\n");
    await publish("1.1.0", '  allowedHosts: ["api.example.com"]\n  env: [GITHUB_TOKEN]\n');
    const refused = await capstan(home, ["plugin", "update", "wasmy", "--verify=false"]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(
      "error: wasmy 1.1.0 asks for more than the installed version: new environment variable GITHUB_TOKEN",
    );
    expect(refused.stderr).toContain("--accept-grants");
    const accepted = await capstan(home, ["plugin", "update", "wasmy", "--verify=false", "--accept-grants"]);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("Grants (wider than the installed version):\n");
    expect(accepted.stdout).toContain("  environment variables: GITHUB_TOKEN\n");
    await capstan(home, ["plugin", "uninstall", "wasmy"]);
  });

  test("install --timeout fails a stalled download with exit 7; a bad duration is a usage error", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("x"); // then stall
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/stall-1.0.0.tgz`;
      const r = await capstan(home, ["plugin", "install", url, "--timeout", "500ms", "--keyring", pub]);
      expect(r.stderr).toContain(`error: ${url}: timed out`);
      expect(r.code).toBe(7);
      expect((await capstan(home, ["plugin", "install", url, "--timeout", "soon"])).code).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test("usage errors: a non-boolean --verify, update without names", async () => {
    // Bare `--verify <source>` would take the source as the flag's value: still a usage error.
    expect((await capstan(home, ["plugin", "install", "--verify", "out/dist-1.0.0.tgz"])).code).toBe(2);
    const v = await capstan(home, ["plugin", "install", "--verify=maybe", "out/dist-1.0.0.tgz"]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/--verify takes true or false/);
    expect((await capstan(home, ["plugin", "update"])).code).toBe(2);
    const empty = await capstan(home, ["plugin", "install", ""]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("error: the plugin source is empty");
  });
});
