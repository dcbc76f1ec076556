// Install, update and uninstall from local archives, an HTTP server and a linked directory,
// with provenance verification against real keys.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { provenanceStatus, readInstallRecord, resolveSettings } from "@capstan/host";
import { loadManifest } from "@capstan/manifest";
import { keyringFromKeys } from "@capstan/signing";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { uninstallPlugin } from "../src/install/uninstall-plugin.js";
import { makeKey, makePluginDir, signedArchive, type TestKey, tempDir } from "./helpers/dist-fixtures.js";
import { rawTgz } from "./helpers/raw-tar.js";

const work = tempDir("capstan-install-");
let trusted: TestKey;
let stranger: TestKey;
let server: Server;
let baseUrl: string;
const served = new Map<string, Buffer>();
let homeCount = 0;

/** A fresh plugin home and the options pointing at it. */
function home(keyring?: string) {
  const dir = join(work, `home-${++homeCount}`);
  mkdirSync(dir);
  const env = { CAPSTAN_PLUGINS: dir, HOME: work };
  return {
    dir,
    opts: {
      settings: resolveSettings(env),
      env,
      keyring: keyring ?? trusted.publicFile,
      hookOutput: "pipe" as const,
    },
  };
}

beforeAll(async () => {
  trusted = await makeKey(join(work, "keys"), "Trusted Signer");
  stranger = await makeKey(join(work, "keys"), "Stranger");
  server = createServer((req, res) => {
    const body = served.get(req.url ?? "");
    if (body === undefined) {
      res.writeHead(404).end("not found");
      return;
    }
    if (req.url?.startsWith("/stall/")) {
      // Headers and the first bytes, then nothing: a server hanging mid-body.
      res.writeHead(200, { "content-length": String(body.length) });
      res.write(body.subarray(0, 512));
      return;
    }
    if (req.url?.startsWith("/trickle/")) {
      // A byte every 20 ms: never idle, never done in time (bounded: stops at the body's end).
      res.writeHead(200, { "content-length": String(body.length) });
      let i = 0;
      const tick = setInterval(() => {
        if (res.destroyed || i >= body.length) {
          clearInterval(tick);
          res.end();
        } else res.write(body.subarray(i, ++i));
      }, 20);
      return;
    }
    if (req.url?.startsWith("/chunked/")) {
      // No Content-Length: the installer must cap the body as it streams in.
      res.writeHead(200, { "content-type": "application/gzip" });
      for (let i = 0; i < body.length; i += 512) res.write(body.subarray(i, i + 512));
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/gzip" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(work, { recursive: true, force: true });
});

describe("local .tgz", () => {
  test("a signed archive installs, records its signer and lists as trusted", async () => {
    const a = await signedArchive(
      makePluginDir(work, { name: "hello", version: "1.0.0" }),
      join(work, "out1"),
      trusted,
    );
    const h = home();
    const r = await installPlugin(a.path, h.opts);
    expect(r).toMatchObject({ name: "hello", version: "1.0.0", kind: "tgz", linked: false });
    expect(r.provenance).toMatchObject({ fingerprint: trusted.fingerprint, hash: a.hash });
    const loaded = await loadManifest(join(h.dir, "hello"));
    expect(readFileSync(join(loaded.dir, "run.sh"), "utf8")).toContain("hello 1.0.0");
    expect(readInstallRecord(loaded.dir)).toMatchObject({ kind: "tgz", source: a.path, version: "1.0.0" });
    expect(await provenanceStatus(loaded, trusted.publicKeyring)).toMatchObject({ status: "trusted" });
    expect(await provenanceStatus(loaded, stranger.publicKeyring)).toMatchObject({ status: "unknown-key" });
    // Only the plugin and nothing left over from staging or the lock.
    expect(readdirSync(h.dir)).toEqual(["hello"]);
    // A second install of the same name is refused; update is the way.
    await expect(installPlugin(a.path, h.opts)).rejects.toMatchObject({ code: "PLUGIN_EXISTS" });
    // The kept .prov is verified again: a key revoked since the install shows as invalid.
    const revoked = await keyringFromKeys([trusted.publicArmored, trusted.revocationCertificate]);
    expect(await provenanceStatus(loaded, revoked)).toMatchObject({
      status: "invalid",
      code: "PROV_KEY_REVOKED",
    });
    // No keyring at all: the signer cannot be trusted.
    expect(await provenanceStatus(loaded, undefined)).toMatchObject({
      status: "unknown-key",
      keyId: trusted.keyId,
    });
    // `plugin list` without --keyring: the result verified at install, not "unknown key";
    // a default keyring lacking the signer says the same, a revoked signer still shows.
    const recorded = {
      status: "verified-at-install",
      signer: trusted.userId,
      keyId: trusted.keyId,
    };
    expect(await provenanceStatus(loaded, undefined, { fallbackToRecord: true })).toMatchObject(recorded);
    expect(await provenanceStatus(loaded, stranger.publicKeyring, { fallbackToRecord: true })).toMatchObject(
      recorded,
    );
    expect(await provenanceStatus(loaded, revoked, { fallbackToRecord: true })).toMatchObject({
      status: "invalid",
    });
    // A forged kept .prov (another signed text) is refused as invalid or mismatched, never trusted.
    const provPath = join(loaded.dir, ".capstan-install.prov");
    const prov = readFileSync(provPath, "utf8");
    writeFileSync(provPath, prov.replace("name: hello", "name: hellp"));
    expect((await provenanceStatus(loaded, trusted.publicKeyring)).status).toBe("invalid");
    writeFileSync(provPath, prov);
    // plugin.yaml edited to another version: mismatched.
    const yaml = readFileSync(loaded.file, "utf8");
    writeFileSync(loaded.file, yaml.replace("1.0.0", "1.0.1"));
    expect(await provenanceStatus(await loadManifest(loaded.dir), trusted.publicKeyring)).toMatchObject({
      status: "mismatched",
    });
    writeFileSync(loaded.file, yaml);
    // The kept .prov deleted: no longer provable, so invalid (not trusted on the record's word).
    rmSync(provPath);
    expect(await provenanceStatus(loaded, trusted.publicKeyring)).toMatchObject({
      status: "invalid",
      code: "PROV_COPY_MISSING",
    });
    writeFileSync(provPath, prov);
    // A path given as a plugin name to update/uninstall never becomes a path.
    for (const bad of ["../hello", "hello/..", "a/b"]) {
      await expect(updatePlugin(bad, h.opts)).rejects.toMatchObject({
        code: "PLUGIN_NOT_INSTALLED",
        exitCode: 2,
      });
      await expect(uninstallPlugin(bad, h.opts)).rejects.toMatchObject({
        code: "PLUGIN_NOT_INSTALLED",
        exitCode: 2,
      });
    }
    // Editing an installed file shows up as mismatched.
    writeFileSync(join(loaded.dir, "run.sh"), "#!/bin/sh\necho evil\n");
    expect(await provenanceStatus(loaded, trusted.publicKeyring)).toMatchObject({
      status: "mismatched",
      code: "FILES_CHANGED",
    });
  });

  test("the first install creates a missing plugin home", async () => {
    const a = await signedArchive(
      makePluginDir(work, { name: "fresh", version: "1.0.0" }),
      join(work, "out0"),
      trusted,
    );
    const dir = join(work, "no", "such", "home");
    const env = { CAPSTAN_PLUGINS: dir, HOME: work };
    const r = await installPlugin(a.path, {
      settings: resolveSettings(env),
      env,
      keyring: trusted.publicFile,
    });
    expect(r.dir).toBe(join(dir, "fresh"));
    expect(readdirSync(dir)).toEqual(["fresh"]);
  });

  test("a tampered archive is refused and the home is untouched", async () => {
    const a = await signedArchive(
      makePluginDir(work, { name: "tamper", version: "1.0.0" }),
      join(work, "out2"),
      trusted,
    );
    const bytes = readFileSync(a.path);
    bytes[bytes.length - 30]! ^= 0xff;
    writeFileSync(a.path, bytes);
    const h = home();
    await expect(installPlugin(a.path, h.opts)).rejects.toMatchObject({
      code: "PROV_DIGEST_MISMATCH",
      exitCode: 5,
    });
    expect(readdirSync(h.dir)).toEqual([]);
  });

  test("an archive signed by an unknown key is refused, naming the key", async () => {
    const a = await signedArchive(
      makePluginDir(work, { name: "strange", version: "1.0.0" }),
      join(work, "out3"),
      stranger,
    );
    const h = home();
    const err = await installPlugin(a.path, h.opts).catch((e: Error) => e);
    expect(err).toMatchObject({ code: "PROV_UNKNOWN_KEY", exitCode: 5 });
    expect((err as Error).message).toContain(stranger.keyId);
    expect(readdirSync(h.dir)).toEqual([]);
  });

  test("an unsigned archive is refused unless verification is off", async () => {
    const a = await signedArchive(
      makePluginDir(work, { name: "plain", version: "1.0.0" }),
      join(work, "out4"),
      null,
    );
    const h = home();
    await expect(installPlugin(a.path, h.opts)).rejects.toMatchObject({ code: "PROV_MISSING", exitCode: 5 });
    const warnings: string[] = [];
    const r = await installPlugin(a.path, { ...h.opts, verify: false, log: (l) => warnings.push(l) });
    expect(r.provenance).toBeNull();
    expect(warnings.join("\n")).toMatch(/verification is off/);
    const loaded = await loadManifest(r.dir);
    expect(await provenanceStatus(loaded, trusted.publicKeyring)).toMatchObject({ status: "unsigned" });
  });

  test("a .prov for another plugin version is refused", async () => {
    const src = makePluginDir(work, { name: "swap", version: "1.0.0" });
    const a = await signedArchive(src, join(work, "out5"), trusted);
    const b = await signedArchive(
      makePluginDir(work, { name: "swap", version: "2.0.0" }),
      join(work, "out5b"),
      trusted,
    );
    // Serve version 2's bytes under version 1's name with version 1's signature.
    writeFileSync(a.path, readFileSync(b.path));
    const h = home();
    await expect(installPlugin(a.path, h.opts)).rejects.toMatchObject({ exitCode: 5 });
  });

  test("an archive carrying its own install record or .prov is refused; nothing is installed", async () => {
    const yaml = "name: forger\nversion: 0.1.0\nusage: x\ncommand: echo\n";
    const root = join(work, "forged");
    mkdirSync(root, { recursive: true });
    const h = home();
    for (const [i, name] of [".capstan-install.json", "p/.capstan-install.prov"].entries()) {
      const dir = name.startsWith("p/") ? "p/" : "";
      const file = join(root, `forger-${i}.tgz`);
      writeFileSync(
        file,
        rawTgz([
          { name: `${dir}plugin.yaml`, data: yaml },
          { name, data: '{"source":"https://trusted.example","kind":"http","provenance":null}' },
        ]),
      );
      await expect(installPlugin(file, { ...h.opts, verify: false })).rejects.toMatchObject({
        code: "ARCHIVE_UNSAFE",
        exitCode: 5,
        message: `${file}: ${name} is written by capstan at install, not shipped`,
      });
    }
    expect(readdirSync(h.dir).filter((n) => !n.startsWith("."))).toEqual([]);
  });

  test("an empty source and a URL without a host are usage errors", async () => {
    const h = home();
    await expect(installPlugin("http://", h.opts)).rejects.toMatchObject({
      code: "INSTALL_BAD_SOURCE",
      exitCode: 2,
      message: "http://: not a valid URL",
    });
    for (const source of ["", "  "]) {
      await expect(installPlugin(source, h.opts)).rejects.toMatchObject({
        code: "INSTALL_BAD_SOURCE",
        exitCode: 2,
        message: "the plugin source is empty",
      });
    }
    expect(readdirSync(h.dir)).toEqual([]);
  });

  test("plugin.yaml at the archive root and one directory down are both accepted", async () => {
    const yaml = "name: rooted\nversion: 0.1.0\nusage: x\ncommand: echo\n";
    const root = join(work, "raw");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "rooted-0.1.0.tgz"), rawTgz([{ name: "plugin.yaml", data: yaml }]));
    const h = home();
    const r = await installPlugin(join(root, "rooted-0.1.0.tgz"), { ...h.opts, verify: false });
    expect(existsSync(join(r.dir, "plugin.yaml"))).toBe(true);
    writeFileSync(
      join(root, "down.tgz"),
      rawTgz([{ name: "some-dir/plugin.yaml", data: yaml.replace("rooted", "down") }]),
    );
    // A plugin name that is a path never reaches the file system.
    writeFileSync(
      join(root, "evil.tgz"),
      rawTgz([{ name: "x/plugin.yaml", data: yaml.replace("rooted", "../evil") }]),
    );
    await expect(installPlugin(join(root, "evil.tgz"), { ...h.opts, verify: false })).rejects.toMatchObject({
      exitCode: 3,
    });
    const d = await installPlugin(join(root, "down.tgz"), { ...h.opts, verify: false });
    expect(d.name).toBe("down");
    expect(readdirSync(d.dir).sort()).toEqual([".capstan-install.json", "plugin.yaml"]);
  });
});

describe("http(s) source", () => {
  test("installs with the .prov beside the URL, updates, and refuses a downgrade", async () => {
    const v1 = await signedArchive(
      makePluginDir(work, { name: "web", version: "1.0.0" }),
      join(work, "web1"),
      trusted,
    );
    const v2 = await signedArchive(
      makePluginDir(work, { name: "web", version: "1.1.0" }),
      join(work, "web2"),
      trusted,
    );
    const publish = (a: typeof v1) => {
      // The URL's base name is what the .prov lists.
      served.set(`/dl/${a.fileName}`, readFileSync(a.path));
      served.set(`/dl/${a.fileName}.prov`, readFileSync(a.provPath));
    };
    publish(v1);
    const h = home();
    const url = `${baseUrl}/dl/${v1.fileName}`;
    const r = await installPlugin(url, h.opts);
    expect(r).toMatchObject({ kind: "http", version: "1.0.0", source: url });
    expect(r.provenance?.fingerprint).toBe(trusted.fingerprint);

    // Update fetches the recorded URL again; same version -> up to date.
    expect(await updatePlugin("web", h.opts)).toMatchObject({ upToDate: true, version: "1.0.0" });
    // The same URL now serves 1.1.0 (a "latest" style URL).
    served.set(`/dl/${v1.fileName}`, readFileSync(v2.path));
    served.set(`/dl/${v1.fileName}.prov`, readFileSync(v2.provPath));
    // v2's .prov lists web-1.1.0.tgz, not the URL's name: refused as not listed.
    await expect(updatePlugin("web", h.opts)).rejects.toMatchObject({ exitCode: 5 });
    // A URL whose name matches works.
    publish(v2);
    rmSync(join(h.dir, "web"), { recursive: true });
    await installPlugin(`${baseUrl}/dl/${v2.fileName}`, h.opts);
    // Point the record at the 1.0.0 URL: update must refuse the downgrade, --force allows it.
    publish(v1);
    const record = JSON.parse(readFileSync(join(h.dir, "web", ".capstan-install.json"), "utf8"));
    record.source = url;
    writeFileSync(join(h.dir, "web", ".capstan-install.json"), JSON.stringify(record));
    await expect(updatePlugin("web", h.opts)).rejects.toMatchObject({ code: "UPDATE_DOWNGRADE" });
    expect((await loadManifest(join(h.dir, "web"))).manifest.version).toBe("1.1.0");
    const forced = await updatePlugin("web", { ...h.opts, force: true });
    expect(forced).toMatchObject({ version: "1.0.0", previousVersion: "1.1.0" });
  });

  test("a server stalling mid-body times out (idle), and a trickle hits --timeout; nothing is left", async () => {
    const body = Buffer.alloc(4096, 1);
    served.set("/stall/slow-1.0.0.tgz", body);
    served.set("/trickle/slow-1.0.0.tgz", body);
    const h = home();
    await expect(
      installPlugin(`${baseUrl}/stall/slow-1.0.0.tgz`, { ...h.opts, idleTimeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: "INSTALL_TIMEOUT",
      exitCode: 7,
      message: `${baseUrl}/stall/slow-1.0.0.tgz: timed out (no data for 200 ms)`,
    });
    await expect(
      installPlugin(`${baseUrl}/trickle/slow-1.0.0.tgz`, { ...h.opts, idleTimeoutMs: 5000, timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: "INSTALL_TIMEOUT", exitCode: 7 });
    expect(readdirSync(h.dir)).toEqual([]);
  });

  test("a download over the archive cap is refused, with or without Content-Length", async () => {
    const big = Buffer.alloc(8192, 7);
    served.set("/dl/big-1.0.0.tgz", big);
    served.set("/chunked/big-1.0.0.tgz", big);
    const h = home();
    const env = { ...h.opts.env, CAPSTAN_MAX_ARCHIVE_BYTES: "4096" };
    for (const path of ["/dl/big-1.0.0.tgz", "/chunked/big-1.0.0.tgz"]) {
      await expect(installPlugin(`${baseUrl}${path}`, { ...h.opts, env })).rejects.toMatchObject({
        code: "ARCHIVE_UNSAFE",
        exitCode: 5,
        message: `${baseUrl}${path}: larger than the cap of 4096 bytes`,
      });
    }
    expect(readdirSync(h.dir)).toEqual([]);
  });

  test("a missing URL is a not-found error", async () => {
    const h = home();
    await expect(installPlugin(`${baseUrl}/nope/x-1.0.0.tgz`, h.opts)).rejects.toMatchObject({ exitCode: 4 });
  });
});

describe("local directory", () => {
  test("links the directory in development mode without verification", async () => {
    const src = makePluginDir(work, { name: "devplug", version: "0.0.1" });
    const h = home("/nonexistent/keyring");
    const r = await installPlugin(src, h.opts);
    expect(r).toMatchObject({ linked: true, kind: "dir", provenance: null });
    expect(lstatSync(join(h.dir, "devplug")).isSymbolicLink()).toBe(true);
    const loaded = await loadManifest(join(h.dir, "devplug"));
    expect(await provenanceStatus(loaded, trusted.publicKeyring)).toMatchObject({ status: "local" });
    // Update re-links and runs the update hook; the version is whatever the directory holds.
    expect(await updatePlugin("devplug", h.opts)).toMatchObject({
      linked: true,
      version: "0.0.1",
      previousVersion: "0.0.1",
    });
    expect(lstatSync(join(h.dir, "devplug")).isSymbolicLink()).toBe(true);
    // Uninstalling a link removes the link, never the developer's directory.
    await uninstallPlugin("devplug", h.opts);
    expect(existsSync(join(h.dir, "devplug"))).toBe(false);
    expect(existsSync(join(src, "plugin.yaml"))).toBe(true);
  });
});

describe("hooks", () => {
  test("install, update and delete hooks run after verification; a failing hook rolls back", async () => {
    const marker = join(work, "hook-marker");
    const hooks = {
      install: `echo install >> ${marker}`,
      update: `echo update >> ${marker}`,
      delete: `echo delete >> ${marker}`,
    };
    const v1 = await signedArchive(
      makePluginDir(work, { name: "hooked", version: "1.0.0", hooks }),
      join(work, "hk1"),
      trusted,
    );
    const h = home();
    const r = await installPlugin(v1.path, h.opts);
    expect(r.hookRan).toBe(true);
    // Updating runs the update hook (not the install hook): point the record at 1.1.0.
    const v2 = await signedArchive(
      makePluginDir(work, { name: "hooked", version: "1.1.0", hooks }),
      join(work, "hk1-next"),
      trusted,
    );
    const recordFile = join(h.dir, "hooked", ".capstan-install.json");
    writeFileSync(
      recordFile,
      JSON.stringify({ ...JSON.parse(readFileSync(recordFile, "utf8")), source: v2.path }),
    );
    expect(await updatePlugin("hooked", h.opts)).toMatchObject({
      version: "1.1.0",
      previousVersion: "1.0.0",
      hookRan: true,
    });
    expect(readFileSync(marker, "utf8")).toBe("install\nupdate\n");
    // A failing install hook: the plugin is not left installed.
    const bad = await signedArchive(
      makePluginDir(work, { name: "badhook", version: "1.0.0", hooks: { install: "exit 3" } }),
      join(work, "hk2"),
      trusted,
    );
    await expect(installPlugin(bad.path, h.opts)).rejects.toMatchObject({ exitCode: 6 });
    expect(existsSync(join(h.dir, "badhook"))).toBe(false);
    // An archive refused by verification never runs its hook.
    const tampered = await signedArchive(
      makePluginDir(work, {
        name: "evilhook",
        version: "1.0.0",
        hooks: { install: `echo evil >> ${marker}` },
      }),
      join(work, "hk3"),
      stranger,
    );
    await expect(installPlugin(tampered.path, h.opts)).rejects.toMatchObject({ exitCode: 5 });
    const gone = await uninstallPlugin("hooked", h.opts);
    expect(gone.hookRan).toBe(true);
    expect(readFileSync(marker, "utf8")).toBe("install\nupdate\ndelete\n");
    expect(readdirSync(h.dir)).toEqual([]);
    await expect(uninstallPlugin("hooked", h.opts)).rejects.toMatchObject({
      code: "PLUGIN_NOT_INSTALLED",
      exitCode: 4,
    });
    // A failing delete hook keeps the plugin installed (as in Helm); `hooks: false` removes it.
    const sticky = await signedArchive(
      makePluginDir(work, { name: "sticky", version: "1.0.0", hooks: { delete: "exit 4" } }),
      join(work, "hk4"),
      trusted,
    );
    await installPlugin(sticky.path, h.opts);
    await expect(uninstallPlugin("sticky", h.opts)).rejects.toMatchObject({ exitCode: 6 });
    expect(existsSync(join(h.dir, "sticky", "plugin.yaml"))).toBe(true);
    expect(await uninstallPlugin("sticky", { ...h.opts, hooks: false })).toMatchObject({ hookRan: false });
    expect(readdirSync(h.dir)).toEqual([]);
  });
});
