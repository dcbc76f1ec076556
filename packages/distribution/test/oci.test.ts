// OCI: push to and install from a real registry (Debian's docker-registry), the Helm 4
// artifact layout, tag selection, basic auth (htpasswd) and the bearer token flow.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { provenanceStatus, resolveSettings } from "@capstan/host";
import { loadManifest } from "@capstan/manifest";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { OciClient } from "../src/oci/oci-client.js";
import { PLUGIN_ARTIFACT_TYPE } from "../src/oci/oci-media-types.js";
import { parseOciReference } from "../src/oci/oci-reference.js";
import { pushPlugin } from "../src/push/push-plugin.js";
import { makeKey, makePluginDir, signedArchive, type TestKey, tempDir } from "./helpers/dist-fixtures.js";
import { type Registry, startRegistry } from "./helpers/registry.js";
import { startTokenProxy, type TokenProxy } from "./helpers/token-proxy.js";

// bcrypt (cost 4) of "s3cret" for user "ci".
const HTPASSWD = "ci:$2a$04$9GDdYaiJM2I/zO5kXQ0VWeLjS5sHJMfThuMyp4rCsAyRIPF8fu7Zu\n";

const work = tempDir("capstan-oci-");
let key: TestKey;
let open: Registry;
let basic: Registry;
let proxy: TokenProxy;
let v1: Awaited<ReturnType<typeof signedArchive>>;
let v11: Awaited<ReturnType<typeof signedArchive>>;
let homes = 0;

function home() {
  const dir = join(work, `home-${++homes}`);
  mkdirSync(dir);
  const env = { CAPSTAN_PLUGINS: dir, HOME: work };
  return {
    dir,
    opts: {
      settings: resolveSettings(env),
      env,
      keyring: key.publicFile,
      hookOutput: "pipe" as const,
      plainHttp: true,
    },
  };
}

beforeAll(async () => {
  [key, open, basic] = await Promise.all([
    makeKey(join(work, "keys"), "OCI Signer"),
    startRegistry(),
    startRegistry({ htpasswd: HTPASSWD }),
  ]);
  proxy = await startTokenProxy(open.host, "robot", "t0ken-pass");
  v1 = await signedArchive(
    makePluginDir(work, { name: "ocihello", version: "1.0.0" }),
    join(work, "v1"),
    key,
  );
  v11 = await signedArchive(
    makePluginDir(work, { name: "ocihello", version: "1.1.0" }),
    join(work, "v11"),
    key,
  );
});

afterAll(async () => {
  await Promise.all([open?.stop(), basic?.stop(), proxy?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe("anonymous registry", () => {
  test("push writes Helm 4's plugin artifact layout", async () => {
    const r = await pushPlugin(v1.path, `oci://${open.host}/plugins`, { plainHttp: true });
    // The plugin name is appended to the repository, the version becomes the tag.
    expect(r).toMatchObject({ ref: `oci://${open.host}/plugins/ocihello:1.0.0`, signed: true });
    const { manifest, digest } = await new OciClient(open.host, { plainHttp: true }).getManifest(
      "plugins/ocihello",
      "1.0.0",
    );
    expect(digest).toBe(r.digest);
    expect(manifest.artifactType).toBe(PLUGIN_ARTIFACT_TYPE);
    expect(manifest.config).toMatchObject({ mediaType: "application/vnd.oci.empty.v1+json", size: 2 });
    expect(manifest.layers.map((l) => l.annotations?.["org.opencontainers.image.title"])).toEqual([
      "ocihello-1.0.0.tgz",
      "ocihello-1.0.0.tgz.prov",
    ]);
    expect(manifest.layers[0]?.digest).toBe(v1.hash);
    await pushPlugin(v11.path, `oci://${open.host}/plugins/ocihello`, { plainHttp: true });
  });

  test("install by tag, by highest tag, by constraint; update moves to the newest", async () => {
    const a = home();
    const r = await installPlugin(`oci://${open.host}/plugins/ocihello:1.0.0`, a.opts);
    expect(r).toMatchObject({ kind: "oci", version: "1.0.0", source: `oci://${open.host}/plugins/ocihello` });
    expect(r.provenance).toMatchObject({ fingerprint: key.fingerprint, hash: v1.hash });
    expect(await provenanceStatus(await loadManifest(r.dir), key.publicKeyring)).toMatchObject({
      status: "trusted",
    });
    expect(await updatePlugin("ocihello", a.opts)).toMatchObject({
      version: "1.1.0",
      previousVersion: "1.0.0",
    });

    const b = home();
    expect(await installPlugin(`oci://${open.host}/plugins/ocihello`, b.opts)).toMatchObject({
      version: "1.1.0",
    });
    const c = home();
    expect(
      await installPlugin(`oci://${open.host}/plugins/ocihello`, { ...c.opts, version: "~1.0.0" }),
    ).toMatchObject({ version: "1.0.0" });
  });

  test("by digest: the reference parses, installs that manifest, and a different manifest is refused", async () => {
    const client = new OciClient(open.host, { plainHttp: true });
    const { digest } = await client.getManifest("plugins/ocihello", "1.0.0");
    expect(parseOciReference(`oci://${open.host}/plugins/ocihello:1.0.0@${digest}`)).toEqual({
      registry: open.host,
      repository: "plugins/ocihello",
      name: "ocihello",
      tag: "1.0.0",
      digest,
    });
    expect(() => parseOciReference(`oci://${open.host}/plugins/ocihello@sha256:abc`)).toThrow(
      expect.objectContaining({ code: "OCI_BAD_REFERENCE", message: expect.stringContaining("sha256:abc") }),
    );
    // 1.1.0 is the newest tag, but the digest pins 1.0.0.
    const h = home();
    const r = await installPlugin(`oci://${open.host}/plugins/ocihello@${digest}`, h.opts);
    expect(r).toMatchObject({ kind: "oci", version: "1.0.0" });
    expect(r.provenance).toMatchObject({ fingerprint: key.fingerprint, hash: v1.hash });

    // A registry that answers every manifest request with the 1.1.0 manifest.
    const other = await fetch(`http://${open.host}/v2/plugins/ocihello/manifests/1.1.0`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    const otherType = other.headers.get("content-type") ?? "";
    const otherBytes = Buffer.from(await other.arrayBuffer());
    const liar = createServer((req, res) => {
      if (req.url?.startsWith("/v2/plugins/ocihello/manifests/"))
        res.writeHead(200, { "content-type": otherType }).end(otherBytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => liar.listen(0, "127.0.0.1", ok));
    const liarHost = `127.0.0.1:${(liar.address() as AddressInfo).port}`;
    const fooled = home();
    try {
      await expect(
        installPlugin(`oci://${liarHost}/plugins/ocihello@${digest}`, fooled.opts),
      ).rejects.toMatchObject({
        code: "OCI_DIGEST_MISMATCH",
        exitCode: 5,
        message: `${liarHost}/plugins/ocihello@${digest}: the registry sent a manifest with digest sha256:${createHash("sha256").update(otherBytes).digest("hex")}`,
      });
    } finally {
      await new Promise((ok) => liar.close(ok));
    }
    expect(readdirSync(fooled.dir)).toEqual([]);
  });

  test("refusals: missing tag, not a plugin, TLS expected", async () => {
    const h = home();
    await expect(installPlugin(`oci://${open.host}/plugins/ocihello:9.9.9`, h.opts)).rejects.toMatchObject({
      code: "OCI_NOT_FOUND",
      exitCode: 4,
    });
    // An artifact of another type (an image-like manifest) is not a plugin.
    const client = new OciClient(open.host, { plainHttp: true });
    const cfg = await client.pushBlob("plugins/other", Buffer.from("{}"));
    await client.putManifest("plugins/other", "1.0.0", {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/vnd.example.thing",
      config: { mediaType: "application/vnd.oci.empty.v1+json", digest: cfg, size: 2 },
      layers: [],
    });
    await expect(installPlugin(`oci://${open.host}/plugins/other:1.0.0`, h.opts)).rejects.toMatchObject({
      code: "OCI_NOT_A_PLUGIN",
    });
    // No artifactType, and a config that is not the plugin type (a chart): refused even though
    // its layer is titled like a plugin archive. The same with the plugin type as config works.
    const tgz = v1.bytes;
    const layer = {
      mediaType: "application/vnd.oci.image.layer.v1.tar",
      digest: await client.pushBlob("plugins/ocihello", tgz),
      size: tgz.length,
      annotations: { "org.opencontainers.image.title": "ocihello-1.0.0.tgz" },
    };
    const chartCfg = await client.pushBlob("plugins/ocihello", Buffer.from("{}"));
    for (const [tag, configType] of [
      ["chart", "application/vnd.cncf.helm.config.v1+json"],
      ["oci10", "application/vnd.helm.plugin.v1+json"],
    ] as const) {
      await client.putManifest("plugins/ocihello", tag, {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: configType, digest: chartCfg, size: 2 },
        layers: [layer],
      });
    }
    await expect(
      installPlugin(`oci://${open.host}/plugins/ocihello:chart`, { ...h.opts, verify: false }),
    ).rejects.toMatchObject({
      code: "OCI_NOT_A_PLUGIN",
      message: expect.stringContaining("is a application/vnd.cncf.helm.config.v1+json, not a plugin"),
    });
    const old = home();
    expect(
      await installPlugin(`oci://${open.host}/plugins/ocihello:oci10`, { ...old.opts, verify: false }),
    ).toMatchObject({ version: "1.0.0" });
    // Without --plain-http the client speaks TLS, which this registry does not.
    await expect(
      installPlugin(`oci://${open.host}/plugins/ocihello:1.0.0`, { ...h.opts, plainHttp: false }),
    ).rejects.toMatchObject({
      code: "OCI_UNREACHABLE",
    });
    expect(readdirSync(h.dir)).toEqual([]);
  });
});

describe("authentication", () => {
  test("htpasswd basic auth: refused without credentials, works with them", async () => {
    await expect(pushPlugin(v1.path, `oci://${basic.host}/team`, { plainHttp: true })).rejects.toMatchObject({
      code: "OCI_UNAUTHORIZED",
    });
    await expect(
      pushPlugin(v1.path, `oci://${basic.host}/team`, { plainHttp: true, username: "ci", password: "wrong" }),
    ).rejects.toMatchObject({ code: "OCI_UNAUTHORIZED" });
    await pushPlugin(v1.path, `oci://${basic.host}/team`, {
      plainHttp: true,
      username: "ci",
      password: "s3cret",
    });
    const h = home();
    const r = await installPlugin(`oci://${basic.host}/team/ocihello:1.0.0`, {
      ...h.opts,
      username: "ci",
      password: "s3cret",
    });
    expect(r.version).toBe("1.0.0");
  });

  test("bearer token flow through a token service", async () => {
    await expect(
      pushPlugin(v1.path, `oci://${proxy.host}/tok`, {
        plainHttp: true,
        username: "robot",
        password: "nope",
      }),
    ).rejects.toMatchObject({
      code: "OCI_UNAUTHORIZED",
    });
    await pushPlugin(v1.path, `oci://${proxy.host}/tok`, {
      plainHttp: true,
      username: "robot",
      password: "t0ken-pass",
    });
    const h = home();
    const r = await installPlugin(`oci://${proxy.host}/tok/ocihello:1.0.0`, {
      ...h.opts,
      username: "robot",
      password: "t0ken-pass",
    });
    expect(r.provenance?.fingerprint).toBe(key.fingerprint);
    expect(proxy.issued).toEqual(
      expect.arrayContaining(["repository:tok/ocihello:pull,push", "repository:tok/ocihello:pull"]),
    );
  });
});
