// Plugin repositories end to end against real servers on 127.0.0.1: an HTTP server with basic
// auth serving a repository of several plugins and versions signed with a throwaway key, a
// second origin that records what it is sent, and Debian's OCI registry. Covers repo index,
// add/update/remove, search, install <repo>/<plugin>, update across versions (constraint,
// pin, downgrade, --from), and each tamper case refused with nothing on disk changed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { type HostSettings, readInstallRecord, resolveSettings } from "@capstan/host";
import { selectSigningKey, unlockSigningKey } from "@capstan/signing";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { parse } from "yaml";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { pushPlugin } from "../src/push/push-plugin.js";
import { buildRepoIndex } from "../src/repo/index-build.js";
import { writeIndexSignature } from "../src/repo/index-signature.js";
import { readRepoConfig } from "../src/repo/repo-config.js";
import { searchRepositories } from "../src/repo/repo-search.js";
import {
  addRepository,
  indexCacheFile,
  listRepositories,
  removeRepository,
  updateRepositories,
} from "../src/repo/repositories.js";
import { makeKey, makePluginDir, signedArchive, type TestKey, tempDir } from "./helpers/dist-fixtures.js";
import { type Registry, startRegistry } from "./helpers/registry.js";

const work = tempDir("capstan-repo-");
const repoDir = join(work, "repo");
/** A second repository, signed, served under /signed/. */
const signedDir = join(work, "signed");
const AUTH = `Basic ${Buffer.from("ci:s3cret").toString("base64")}`;
let key: TestKey;
let stranger: TestKey;
let server: Server;
let other: Server;
let registry: Registry;
let base: string;
let otherBase: string;
/** Files the repository server serves (path -> bytes); tests replace entries to tamper. */
const files = new Map<string, Buffer>();
const otherSeen: IncomingHttpHeaders[] = [];
let count = 0;

/** Serves every file under repoDir at /<relative path>, and signedDir's under /signed/. */
function publish(): void {
  files.clear();
  const walk = (root: string, prefix: string, dir = root): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(root, prefix, path);
      else files.set(`${prefix}/${relative(root, path)}`, readFileSync(path));
    }
  };
  walk(repoDir, "");
  walk(signedDir, "/signed");
}

/** Indexes signedDir at `now` and signs it with `by`. */
async function signSigned(by: TestKey, now: Date): Promise<void> {
  buildRepoIndex(signedDir, { now });
  await writeIndexSignature(
    signedDir,
    await unlockSigningKey(await selectSigningKey(by.secretKeyring, by.fingerprint)),
  );
}

async function addPlugin(name: string, version: string, signed = true, description?: string) {
  const src = makePluginDir(work, { name, version });
  if (description) {
    const yaml = readFileSync(join(src, "plugin.yaml"), "utf8").replace(
      /^usage: .*$/m,
      `usage: ${description}`,
    );
    writeFileSync(join(src, "plugin.yaml"), yaml);
  }
  return signedArchive(src, repoDir, signed ? key : null);
}

/** A fresh environment: plugin home, repository config and cache. */
function env(): { settings: HostSettings; env: NodeJS.ProcessEnv; home: string; keyring: string } {
  const dir = join(work, `env-${++count}`);
  mkdirSync(dir);
  const e = {
    HOME: dir,
    CAPSTAN_PLUGINS: join(dir, "plugins"),
    XDG_CONFIG_HOME: join(dir, "config"),
    XDG_CACHE_HOME: join(dir, "cache"),
  };
  return { settings: resolveSettings(e), env: e, home: join(dir, "plugins"), keyring: key.publicFile };
}

/** Every file under `dir` with its sha256, to prove a refused operation changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

async function added(e = env()) {
  await addRepository({ name: "main", url: base, username: "ci", password: "s3cret" }, e);
  return e;
}

/** The parsed index as the tests mutate it. */
interface IndexDoc {
  externalOrigins?: string[];
  entries: { relaudit: IndexDocEntry[]; labels: IndexDocEntry[]; [name: string]: IndexDocEntry[] };
}
interface IndexDocEntry {
  urls: string[];
  [key: string]: unknown;
}

function setIndex(mutate: (doc: IndexDoc) => void): void {
  const doc = parse(readFileSync(join(repoDir, "index.yaml"), "utf8"));
  mutate(doc);
  files.set("/index.yaml", Buffer.from(JSON.stringify(doc)));
}

beforeAll(async () => {
  key = await makeKey(join(work, "keys"), "Repo Signer");
  stranger = await makeKey(join(work, "keys"), "Stranger");
  mkdirSync(repoDir);
  mkdirSync(signedDir);
  await signedArchive(makePluginDir(work, { name: "signedplug", version: "1.0.0" }), signedDir, key);
  await signSigned(key, new Date("2026-01-01T00:00:00Z"));
  await addPlugin("relaudit", "0.1.0", true, "audit releases");
  await addPlugin("relaudit", "0.2.0", true, "audit releases");
  await addPlugin("relaudit", "1.0.0-rc.1", true, "audit releases");
  await addPlugin("labels", "1.0.0", true, "add labels to manifests");
  await addPlugin("unsigned", "1.0.0", false, "nobody signed this");
  buildRepoIndex(repoDir, { provider: "Capstan tests", license: "Apache-2.0", repoName: "main" });
  publish();
  server = createServer((req, res) => {
    if (req.headers.authorization !== AUTH) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="plugins"' }).end();
      return;
    }
    if (req.url?.startsWith("/redirect/")) {
      res.writeHead(302, { location: `${otherBase}/${req.url.slice("/redirect/".length)}` }).end();
      return;
    }
    const body = files.get(req.url ?? "");
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  other = createServer((req, res) => {
    otherSeen.push(req.headers);
    const body = files.get(req.url ?? "");
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  await Promise.all([
    new Promise<void>((r) => server.listen(0, "127.0.0.1", r)),
    new Promise<void>((r) => other.listen(0, "127.0.0.1", r)),
  ]);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  registry = await startRegistry();
});

afterAll(async () => {
  await Promise.all([
    new Promise((r) => server.close(r)),
    new Promise((r) => other.close(r)),
    registry?.stop(),
  ]);
  rmSync(work, { recursive: true, force: true });
});

describe("repo index", () => {
  test("lists every tarball with digest, type, provenance and writes Artifact Hub metadata", () => {
    const index = parse(readFileSync(join(repoDir, "index.yaml"), "utf8"));
    expect(index.apiVersion).toBe("v1");
    expect(Object.keys(index.entries).sort()).toEqual(["labels", "relaudit", "unsigned"]);
    expect(index.entries.relaudit.map((e: { version: string }) => e.version)).toEqual([
      "1.0.0-rc.1",
      "0.2.0",
      "0.1.0",
    ]);
    const e = index.entries.relaudit[1];
    const tgz = readFileSync(join(repoDir, "relaudit-0.2.0.tgz"));
    expect(e).toMatchObject({
      name: "relaudit",
      version: "0.2.0",
      type: "cli/v1",
      apiVersion: "legacy",
      runtime: "subprocess",
      description: "audit releases",
      digest: `sha256:${createHash("sha256").update(tgz).digest("hex")}`,
      urls: ["relaudit-0.2.0.tgz"],
      provenance: true,
    });
    expect(index.entries.unsigned[0].provenance).toBe(false);
    const hub = parse(readFileSync(join(repoDir, "relaudit", "0.2.0", "artifacthub-pkg.yml"), "utf8"));
    expect(hub).toMatchObject({
      version: "0.2.0",
      name: "relaudit",
      displayName: "relaudit",
      createdAt: e.created,
      description: "audit releases",
      license: "Apache-2.0",
      digest: e.digest,
      provider: { name: "Capstan tests" },
    });
    expect(hub.install).toContain("capstan plugin install main/relaudit --version 0.2.0");
    expect(hub.keywords).toEqual(expect.arrayContaining(["helm-plugin", "cli"]));
  });

  test("re-indexing keeps created times of unchanged tarballs; --merge keeps old versions", () => {
    const dir = join(work, "reindex");
    mkdirSync(dir);
    writeFileSync(join(dir, "relaudit-0.1.0.tgz"), readFileSync(join(repoDir, "relaudit-0.1.0.tgz")));
    const first = buildRepoIndex(dir, { now: new Date("2026-01-01T00:00:00Z") });
    const again = buildRepoIndex(dir, { now: new Date("2026-06-01T00:00:00Z") });
    expect(again.index.entries.relaudit![0]!.created).toBe(first.index.entries.relaudit![0]!.created);
    expect(again.index.generated).toBe("2026-06-01T00:00:00.000Z");
    // An index written with another --url does not block re-indexing (it only loses its times).
    buildRepoIndex(dir, { url: "https://cdn.example/plugins" });
    expect(buildRepoIndex(dir).index.entries.relaudit![0]!.urls).toEqual(["relaudit-0.1.0.tgz"]);
    const next = join(work, "reindex-next");
    mkdirSync(next);
    writeFileSync(join(next, "labels-1.0.0.tgz"), readFileSync(join(repoDir, "labels-1.0.0.tgz")));
    const merged = buildRepoIndex(next, { merge: join(dir, "index.yaml") });
    expect(Object.keys(merged.index.entries).sort()).toEqual(["labels", "relaudit"]);
  });
});

describe("repo add / list / update / remove", () => {
  test("add fetches the index with credentials, caches it, and stores the repository 0600", async () => {
    const e = await added();
    expect(listRepositories(e)).toEqual([
      { name: "main", url: base.replace(/\/$/, ""), username: "ci", password: "s3cret" },
    ]);
    expect(statSync(e.settings.pluginRepositoryConfig).mode & 0o777).toBe(0o600);
    expect(existsSync(indexCacheFile(e.settings, "main"))).toBe(true);
    await expect(addRepository({ name: "main", url: base }, e)).rejects.toMatchObject({
      code: "REPO_EXISTS",
    });
    removeRepository("main", e);
    expect(listRepositories(e)).toEqual([]);
    expect(existsSync(indexCacheFile(e.settings, "main"))).toBe(false);
  });

  test("a repository that refuses the credentials is not added, and nothing is written", async () => {
    const e = env();
    await expect(
      addRepository({ name: "main", url: base, username: "ci", password: "bad" }, e),
    ).rejects.toMatchObject({
      code: "REPO_UNREACHABLE",
      message: expect.stringContaining("HTTP 401"),
    });
    expect(snapshot(join(e.env.HOME!))).toEqual({});
  });

  test.each(["a/b", "..", "../x", ".hidden", "", "x".repeat(65)])(
    "repository name %j is refused",
    async (name) => {
      const e = env();
      await expect(addRepository({ name, url: base }, e)).rejects.toMatchObject({ code: "REPO_BAD_NAME" });
      expect(snapshot(e.env.HOME!)).toEqual({});
    },
  );

  test("an unreachable repository keeps its cached index and says so", async () => {
    const e = await added();
    const cache = readFileSync(indexCacheFile(e.settings, "main"));
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const config = e.settings.pluginRepositoryConfig;
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace(base.replace(/\/$/, ""), `http://127.0.0.1:${port}`),
    );
    const [r] = await updateRepositories(undefined, e);
    expect(r).toMatchObject({
      name: "main",
      ok: false,
      keptCache: true,
      error: { code: "REPO_UNREACHABLE" },
    });
    expect(readFileSync(indexCacheFile(e.settings, "main"))).toEqual(cache);
  });
});

describe("search", () => {
  test("newest stable version per plugin, keyword, --versions and --type", async () => {
    const e = await added();
    const rows = (o = {}) =>
      searchRepositories({ ...e, ...o }).map((h) => `${h.repo}/${h.entry.name} ${h.entry.version}`);
    expect(rows()).toEqual(["main/labels 1.0.0", "main/relaudit 0.2.0", "main/unsigned 1.0.0"]);
    expect(rows({ keyword: "AUDIT" })).toEqual(["main/relaudit 0.2.0"]);
    expect(rows({ keyword: "manifests" })).toEqual(["main/labels 1.0.0"]);
    expect(rows({ keyword: "relaudit", versions: true })).toEqual([
      "main/relaudit 1.0.0-rc.1",
      "main/relaudit 0.2.0",
      "main/relaudit 0.1.0",
    ]);
    expect(rows({ type: "getter/v1" })).toEqual([]);
  });
});

describe("install <repo>/<plugin> and update through the index", () => {
  test("installs the newest stable version, verified, and records the repository", async () => {
    const e = await added();
    const r = await installPlugin("main/relaudit", { ...e, hookOutput: "pipe" });
    expect(r).toMatchObject({ name: "relaudit", version: "0.2.0", kind: "http" });
    expect(r.provenance?.fingerprint).toBe(key.fingerprint);
    expect(readInstallRecord(join(e.home, "relaudit"))).toMatchObject({
      version: "0.2.0",
      source: `${base}relaudit-0.2.0.tgz`,
      repository: { name: "main", plugin: "relaudit", url: base.replace(/\/$/, "") },
    });
  });

  test("update follows the recorded constraint, --version pins, a downgrade needs force", async () => {
    const e = await added();
    const opts = { ...e, hookOutput: "pipe" as const };
    expect(await installPlugin("main/relaudit", { ...opts, version: "<0.2.0" })).toMatchObject({
      version: "0.1.0",
    });
    expect(await updatePlugin("relaudit", opts)).toMatchObject({ upToDate: true, version: "0.1.0" });
    expect(await updatePlugin("relaudit", { ...opts, version: "0.2.0" })).toMatchObject({
      version: "0.2.0",
      previousVersion: "0.1.0",
    });
    // The pin is now the recorded constraint; a prerelease needs naming it.
    expect(await updatePlugin("relaudit", opts)).toMatchObject({ upToDate: true });
    expect(await updatePlugin("relaudit", { ...opts, version: "1.0.0-rc.1" })).toMatchObject({
      version: "1.0.0-rc.1",
    });
    const before = snapshot(e.home);
    await expect(updatePlugin("relaudit", { ...opts, version: "0.1.0" })).rejects.toMatchObject({
      code: "UPDATE_DOWNGRADE",
    });
    expect(snapshot(e.home)).toEqual(before);
    expect(await updatePlugin("relaudit", { ...opts, version: "0.1.0", force: true })).toMatchObject({
      version: "0.1.0",
    });
  });

  test("update sees a version published after install (the index is refreshed first)", async () => {
    const e = await added();
    const opts = { ...e, hookOutput: "pipe" as const };
    await installPlugin("main/labels", opts);
    await addPlugin("labels", "1.1.0", true, "add labels to manifests");
    buildRepoIndex(repoDir);
    publish();
    try {
      expect(await updatePlugin("labels", opts)).toMatchObject({
        version: "1.1.0",
        previousVersion: "1.0.0",
      });
    } finally {
      rmSync(join(repoDir, "labels-1.1.0.tgz"));
      rmSync(join(repoDir, "labels-1.1.0.tgz.prov"));
      buildRepoIndex(repoDir);
      publish();
    }
  });

  test("a plugin installed from a URL switches to the repository with --from", async () => {
    const e = await added();
    const opts = { ...e, hookOutput: "pipe" as const };
    await installPlugin(join(repoDir, "relaudit-0.1.0.tgz"), opts);
    expect(await updatePlugin("relaudit", { ...opts, from: "main/relaudit" })).toMatchObject({
      version: "0.2.0",
    });
    expect(readInstallRecord(join(e.home, "relaudit"))?.repository).toMatchObject({ name: "main" });
    await expect(updatePlugin("relaudit", { ...opts, from: "main/labels" })).rejects.toMatchObject({
      code: "UPDATE_OTHER_PLUGIN",
    });
  });

  test("an unsigned tarball is refused like any other source", async () => {
    const e = await added();
    await expect(installPlugin("main/unsigned", { ...e, hookOutput: "pipe" })).rejects.toMatchObject({
      code: "PROV_MISSING",
    });
    expect(snapshot(e.home)).toEqual({});
  });
});

describe("threats: refused naming repository and entry, nothing on disk changed", () => {
  /** Adds the repository, tampers with what it serves, runs `act`, checks the refusal. */
  async function refused(
    tamper: () => void,
    act: (e: ReturnType<typeof env>) => Promise<unknown>,
    expected: { code: string; message: RegExp },
  ): Promise<void> {
    const e = await added();
    const before = snapshot(e.env.HOME!);
    tamper();
    try {
      const err = await act(e).then(
        () => undefined,
        (x) => x,
      );
      expect(err).toMatchObject({ code: expected.code });
      expect((err as Error).message).toMatch(expected.message);
      expect(snapshot(e.env.HOME!)).toEqual(before);
    } finally {
      publish();
    }
  }
  const update = async (e: ReturnType<typeof env>) => {
    const [r] = await updateRepositories(["main"], e);
    if (r && !r.ok) throw r.error;
  };

  test("an index that is not YAML", () =>
    refused(() => files.set("/index.yaml", Buffer.from("entries: [unclosed\n  : :")), update, {
      code: "REPO_INDEX_INVALID",
      message: /repository main: index.yaml: not YAML/,
    }));

  test("two entries with the same name and version", () =>
    refused(() => setIndex((d) => d.entries.relaudit.push({ ...d.entries.relaudit[1]! })), update, {
      code: "REPO_INDEX_INVALID",
      message: /repository main: index.yaml entry relaudit 0.2.0: listed twice/,
    }));

  test("a URL outside the repository's origin that the index does not declare", () =>
    refused(() => setIndex((d) => (d.entries.labels[0]!.urls = [`${otherBase}/labels-1.0.0.tgz`])), update, {
      code: "REPO_INDEX_INVALID",
      message: /entry labels "1.0.0": url .* points outside the repository/,
    }));

  test("a huge index", async () => {
    const e = await added();
    const before = snapshot(e.env.HOME!);
    const [r] = await updateRepositories(["main"], {
      ...e,
      env: { ...e.env, CAPSTAN_MAX_INDEX_BYTES: "100" },
    });
    expect(r).toMatchObject({ ok: false, error: { code: "REPO_INDEX_TOO_LARGE" } });
    expect(snapshot(e.env.HOME!)).toEqual(before);
  });

  test("an entry name that is not a plugin name (control characters shown escaped)", () =>
    refused(() => setIndex((d) => (d.entries["evil\u001b[2J"] = d.entries.labels)), update, {
      code: "REPO_INDEX_INVALID",
      message: /entry "evil\\u001b\[2J": not a plugin name/,
    }));

  test("a tarball whose bytes do not match the index digest", () =>
    refused(
      () => files.set("/relaudit-0.2.0.tgz", files.get("/relaudit-0.1.0.tgz")!),
      (e) => installPlugin("main/relaudit", { ...e, hookOutput: "pipe" }),
      {
        code: "REPO_DIGEST_MISMATCH",
        message: /repository main: entry relaudit 0.2.0: .* has digest sha256:/,
      },
    ));

  test("an entry whose (correctly digested) tarball is another version", async () => {
    const e = await added();
    const before = snapshot(e.env.HOME!);
    const cache = indexCacheFile(e.settings, "main");
    const doc = parse(readFileSync(cache, "utf8"));
    doc.entries.relaudit[1].urls = ["relaudit-0.1.0.tgz"];
    doc.entries.relaudit[1].digest = doc.entries.relaudit[2].digest;
    writeFileSync(cache, JSON.stringify(doc));
    before[relative(e.env.HOME!, cache)] = snapshot(e.env.HOME!)[relative(e.env.HOME!, cache)]!;
    await expect(installPlugin("main/relaudit", { ...e, hookOutput: "pipe" })).rejects.toMatchObject({
      code: "REPO_INDEX_INVALID",
      message: expect.stringContaining("entry relaudit 0.2.0 points at a tarball of relaudit 0.1.0"),
    });
    expect(snapshot(e.env.HOME!)).toEqual(before);
  });

  test("credentials go only to the repository's origin: an external URL and a redirect get none", async () => {
    const e = await added();
    otherSeen.length = 0;
    setIndex((d) => {
      d.externalOrigins = [otherBase];
      d.entries.labels[0]!.urls = [`${otherBase}/labels-1.0.0.tgz`];
      d.entries.relaudit[1]!.urls = ["redirect/relaudit-0.2.0.tgz"];
    });
    try {
      await update(e);
      await installPlugin("main/labels", { ...e, hookOutput: "pipe" });
      await installPlugin("main/relaudit", { ...e, hookOutput: "pipe" });
    } finally {
      publish();
    }
    expect(otherSeen.length).toBeGreaterThanOrEqual(4);
    for (const h of otherSeen) expect(h.authorization).toBeUndefined();
  });
});

describe("an index pointing at OCI references", () => {
  test("installs a plugin whose tarball lives in a registry, checked against the index digest", async () => {
    const dir = join(work, "oci-repo");
    mkdirSync(dir);
    const a = await signedArchive(makePluginDir(work, { name: "ocihello", version: "1.2.0" }), dir, key);
    await pushPlugin(a.path, `oci://${registry.host}/plugins`, { plainHttp: true });
    const built = buildRepoIndex(dir, { oci: `oci://${registry.host}/plugins` });
    expect(built.index.entries.ocihello![0]!.urls).toEqual([`oci://${registry.host}/plugins/ocihello:1.2.0`]);
    expect(built.index.externalOrigins).toEqual([`oci://${registry.host}`]);
    const e = await added();
    files.set("/index.yaml", readFileSync(built.file));
    try {
      await update(e);
      const r = await installPlugin("main/ocihello", { ...e, hookOutput: "pipe", plainHttp: true });
      expect(r).toMatchObject({ name: "ocihello", version: "1.2.0", kind: "oci" });
      expect(r.provenance?.fingerprint).toBe(key.fingerprint);
    } finally {
      publish();
    }
  });

  async function update(e: ReturnType<typeof env>) {
    const [r] = await updateRepositories(["main"], e);
    if (r && !r.ok) throw r.error;
  }
});

describe("signed indexes", () => {
  const both = () => [key.publicFile, stranger.publicFile];
  async function addSigned() {
    const e = env();
    const r = await addRepository(
      { name: "sig", url: `${base}signed`, username: "ci", password: "s3cret" },
      {
        ...e,
        keyring: both(),
      },
    );
    return { e, r };
  }
  const updateSigned = async (e: ReturnType<typeof env>) => {
    const [r] = await updateRepositories(["sig"], { ...e, keyring: both() });
    if (r && !r.ok) throw r.error;
    return r;
  };

  test("a signed index is verified and pins the repository to its signer", async () => {
    const { e, r } = await addSigned();
    expect(r.signer?.fingerprint).toBe(key.fingerprint);
    expect(readRepoConfig(e.settings.pluginRepositoryConfig).repositories[0]?.indexSigner).toBe(
      key.fingerprint,
    );
    await signSigned(key, new Date("2026-02-01T00:00:00Z"));
    publish();
    expect(await updateSigned(e)).toMatchObject({ ok: true, signer: { fingerprint: key.fingerprint } });
    await signSigned(key, new Date("2026-01-01T00:00:00Z"));
    publish();
  });

  test("a signer not in the keyring: not added, nothing written", async () => {
    const e = env();
    await expect(
      addRepository(
        { name: "sig", url: `${base}signed`, username: "ci", password: "s3cret" },
        { ...e, keyring: stranger.publicFile },
      ),
    ).rejects.toMatchObject({ code: "PROV_UNKNOWN_KEY" });
    expect(snapshot(e.env.HOME!)).toEqual({});
  });

  async function refusedUpdate(tamper: () => Promise<void> | void, code: string, message: RegExp) {
    const { e } = await addSigned();
    const before = snapshot(e.env.HOME!);
    await tamper();
    try {
      const err = await updateSigned(e).then(
        () => undefined,
        (x) => x,
      );
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toMatch(message);
      expect(snapshot(e.env.HOME!)).toEqual(before);
    } finally {
      await signSigned(key, new Date("2026-01-01T00:00:00Z"));
      publish();
    }
  }

  test("a stripped signature", () =>
    refusedUpdate(
      () => void files.delete("/signed/index.yaml.prov"),
      "REPO_INDEX_SIGNATURE",
      /repository sig: index.yaml is not signed, but it was signed by/,
    ));

  test("an index signed by another (trusted) key", () =>
    refusedUpdate(
      async () => {
        await signSigned(stranger, new Date("2026-03-01T00:00:00Z"));
        publish();
      },
      "REPO_INDEX_SIGNATURE",
      /repository sig: index.yaml is signed by Stranger .* not by/,
    ));

  test("an index changed after signing", () =>
    refusedUpdate(
      () => {
        const text = files.get("/signed/index.yaml")!.toString().replace("signedplug", "signedplug2");
        files.set("/signed/index.yaml", Buffer.from(text));
      },
      "PROV_DIGEST_MISMATCH",
      /index.yaml.prov/,
    ));

  test("a rollback to an older signed index", async () => {
    const { e } = await addSigned();
    const oldIndex = files.get("/signed/index.yaml")!;
    const oldProv = files.get("/signed/index.yaml.prov")!;
    await signSigned(key, new Date("2026-05-01T00:00:00Z"));
    publish();
    await updateSigned(e);
    const before = snapshot(e.env.HOME!);
    files.set("/signed/index.yaml", oldIndex);
    files.set("/signed/index.yaml.prov", oldProv);
    try {
      await expect(updateSigned(e)).rejects.toMatchObject({
        code: "REPO_INDEX_SIGNATURE",
        message: expect.stringContaining("a rollback"),
      });
      expect(snapshot(e.env.HOME!)).toEqual(before);
    } finally {
      await signSigned(key, new Date("2026-01-01T00:00:00Z"));
      publish();
    }
  });

  test("re-indexing without --sign drops the stale signature", () => {
    const dir = join(work, "stale");
    mkdirSync(dir);
    writeFileSync(join(dir, "index.yaml.prov"), "old");
    buildRepoIndex(dir);
    expect(existsSync(join(dir, "index.yaml.prov"))).toBe(false);
  });
});
