// Plugin repositories through the built binary: publish signed plugins with `plugin package
// --sign` and `plugin repo index`, serve them with basic auth on 127.0.0.1, then repo add /
// list / update / remove, search (output snapshots, hostile descriptions escaped), install
// <repo>/<plugin> and update across versions.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { generateKey } from "@capstan/signing";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { capstan, type Home, makeHome, requireBuild, sanitize } from "./helpers.js";

let home: Home;
let server: Server;
let url: string;
let pub: string;
let fingerprint: string;
const AUTH = `Basic ${Buffer.from("reader:pw").toString("base64")}`;

async function publish(name: string, version: string, usage: string): Promise<void> {
  const src = join(home.root, "src", `${name}-${version}`);
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, "plugin.yaml"),
    `name: ${name}\nversion: ${version}\nusage: ${usage}\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n`,
  );
  writeFileSync(join(src, "run.sh"), `#!/bin/sh\necho ${name} ${version}\n`, { mode: 0o755 });
  writeFileSync(join(src, ".helmignore"), ".helmignore\n");
  const r = await capstan(home, ["plugin", "package", src, "-d", "repo", ...signFlags()]);
  expect(r.stderr).toBe("");
}

/** Signs with the publisher's key (package and repo index). */
const signFlags = () => ["--sign", "--key", "Repo Publisher", "--keyring", join(home.root, "sec.asc")];

const show = (text: string) => sanitize(home, text).replaceAll(url, "<URL>");
const keyring = () => ["--keyring", pub];
/** Whether `text` holds a raw ESC or CSI (a terminal would act on it). */
const raw = (text: string) => text.includes("\u001b") || text.includes("\u009b");

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  const key = await generateKey({ name: "Repo Publisher", email: "repo@example.com" });
  fingerprint = key.fingerprint;
  pub = join(home.root, "pub.asc");
  writeFileSync(pub, key.publicKeyArmored);
  writeFileSync(join(home.root, "sec.asc"), key.privateKeyArmored);
  await publish("audit", "0.1.0", "audit releases");
  await publish("audit", "0.2.0", "audit releases");
  // A hostile description: an escape sequence that would clear the screen if printed raw.
  await publish("tagger", "1.0.0", '"tags things \\e[2J\\u009b31m"');
  const repo = join(home.root, "repo");
  server = createServer((req, res) => {
    if (req.headers.authorization !== AUTH) {
      res.writeHead(401).end();
      return;
    }
    try {
      res.writeHead(200).end(readFileSync(join(repo, decodeURIComponent(req.url ?? "").replace(/^\/+/, ""))));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  home?.remove();
});

describe("publish", () => {
  test("repo index writes index.yaml and Artifact Hub metadata", async () => {
    const r = await capstan(home, [
      "plugin",
      "repo",
      "index",
      "repo",
      "--provider",
      "Repo Publisher",
      "--repo-name",
      "team",
      ...signFlags(),
    ]);
    expect(r.stderr).toBe("");
    expect(show(r.stdout)).toBe(
      "Indexed 3 tarball(s): 2 plugin(s), 3 version(s) in <HOME>/repo/index.yaml\n" +
        "Signed: <HOME>/repo/index.yaml.prov (Repo Publisher <repo@example.com>)\n",
    );
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d))
        statSync(join(d, n)).isDirectory()
          ? walk(join(d, n))
          : files.push(relative(join(home.root, "repo"), join(d, n)));
    };
    walk(join(home.root, "repo"));
    expect(files.filter((f) => /\.ya?ml$|index.yaml.prov/.test(f)).sort()).toEqual([
      "audit/0.1.0/artifacthub-pkg.yml",
      "audit/0.2.0/artifacthub-pkg.yml",
      "index.yaml",
      "index.yaml.prov",
      "tagger/1.0.0/artifacthub-pkg.yml",
    ]);
  });
});

describe("repositories", () => {
  test("repo add without the credentials fails and adds nothing", async () => {
    const r = await capstan(home, ["plugin", "repo", "add", "team", url]);
    expect(r.code).not.toBe(0);
    expect(show(r.stderr)).toMatchSnapshot();
    expect((await capstan(home, ["plugin", "repo", "list", "-o", "json"])).stdout).toBe("[]\n");
  });

  test("repo add with credentials; list never shows the password", async () => {
    const r = await capstan(home, [
      "plugin",
      "repo",
      "add",
      "team",
      url,
      "--username",
      "reader",
      "--password",
      "pw",
      ...keyring(),
    ]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      '"team" has been added to your plugin repositories (2 plugin(s))\n' +
        `Index signed by Repo Publisher <repo@example.com> (${fingerprint}); pinned\n`,
    );
    const list = await capstan(home, ["plugin", "repo", "list"]);
    expect(show(list.stdout)).toBe("NAME  URL\nteam  <URL>\n");
    const json = await capstan(home, ["plugin", "repo", "list", "-o", "json"]);
    expect(JSON.parse(json.stdout)).toEqual([{ name: "team", url }]);
    expect(`${list.stdout}${json.stdout}`).not.toContain("pw");
  });

  test("bad repository names are usage errors", async () => {
    for (const name of ["a/b", ".."]) {
      const r = await capstan(home, ["plugin", "repo", "add", name, url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("is not a repository name");
    }
  });

  test("repo update", async () => {
    const r = await capstan(home, ["plugin", "repo", "update", ...keyring()]);
    expect(r.stdout).toBe(
      '...Successfully got an update from "team" (2 plugin(s), 3 version(s); signed by Repo Publisher <repo@example.com>)\n',
    );
  });
});

describe("search", () => {
  test("all plugins, newest versions; hostile text escaped", async () => {
    const r = await capstan(home, ["plugin", "search"]);
    expect(r.code).toBe(0);
    expect(raw(r.stdout)).toBe(false);
    expect(r.stdout).toMatchSnapshot();
  });

  test("keyword, --versions, --type and -o json", async () => {
    expect((await capstan(home, ["plugin", "search", "AUDIT", "--versions"])).stdout).toMatchSnapshot();
    const json = await capstan(home, ["plugin", "search", "tags", "-o", "json"]);
    expect(raw(json.stdout)).toBe(false);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: "team/tagger",
        version: "1.0.0",
        type: "cli/v1",
        description: "tags things \u001b[2J\u009b31m",
      },
    ]);
    const cut = await capstan(home, ["plugin", "search", "tags", "--max-col-width", "10"]);
    expect(cut.stdout.split("\n")[1]).toMatch(/ tags th\.\.\.$/);
    const none = await capstan(home, ["plugin", "search", "--type", "getter"]);
    expect(none).toMatchObject({ code: 0, stdout: "", stderr: "No results found\n" });
  });
});

describe("install and update by name", () => {
  test("install <repo>/<plugin> --version, update within the constraint, then past it", async () => {
    const i = await capstan(home, ["plugin", "install", "team/audit", "--version", "~0.1", ...keyring()]);
    expect(i.stderr).toBe("");
    // The key is made per run: its fingerprint and the signed tarball's digest vary.
    expect(show(i.stdout).replace(/[0-9A-F]{40}|[0-9A-F]{16}|sha256:[0-9a-f]{64}/g, "<X>")).toMatchSnapshot();
    const same = await capstan(home, ["plugin", "update", "audit", ...keyring()]);
    expect(same.stdout).toBe("audit is up to date (0.1.0)\n");
    const up = await capstan(home, ["plugin", "update", "audit", "--version", "0.2.0", ...keyring()]);
    expect(up.stdout).toBe(
      "Updated plugin: audit 0.1.0 -> 0.2.0 (signed by Repo Publisher <repo@example.com>)\n",
    );
    const down = await capstan(home, ["plugin", "update", "audit", "--version", "0.1.0", ...keyring()]);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain("refusing to downgrade audit from 0.2.0 to 0.1.0");
    expect((await capstan(home, ["audit"])).stdout).toBe("audit 0.2.0\n");
  });

  test("unknown repository and plugin name what exists", async () => {
    const r = await capstan(home, ["plugin", "install", "nope/audit", ...keyring()]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("no plugin repository named nope (added: team)");
    const p = await capstan(home, ["plugin", "install", "team/missing", ...keyring()]);
    expect(p.code).toBe(4);
    expect(p.stderr).toContain("repository team has no plugin missing");
  });

  test("repo remove forgets the repository; the plugin stays installed", async () => {
    const r = await capstan(home, ["plugin", "repo", "remove", "team"]);
    expect(r.stdout).toBe('"team" has been removed from your plugin repositories\n');
    expect((await capstan(home, ["plugin", "search"])).stderr).toBe("No results found\n");
    expect((await capstan(home, ["audit"])).stdout).toBe("audit 0.2.0\n");
  });
});
