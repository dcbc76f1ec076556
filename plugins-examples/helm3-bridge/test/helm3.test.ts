// Helm 3 bridges, tested by running the exact command lines Helm 3 runs (no Helm binary
// needed): its post-renderer exec (`<binary> <post-renderer-args...>`, manifests on stdin,
// result on stdout) and its downloader plugin exec (`<plugin dir>/<command> certFile keyFile
// caFile href`, content on stdout, with HELM_PLUGIN_* in the environment).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPluginIfStale } from "@capstan/compiler";
import { loadManifest } from "@capstan/manifest";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type LocalS3, S3RVER_CREDENTIALS, startLocalS3 } from "../../s3/test/s3-server.js";

const here = dirname(fileURLToPath(import.meta.url));
const bridge = join(here, "..");
const examples = join(bridge, "..");
const cliDir = join(examples, "..", "packages", "cli");
const cliBin = join(
  cliDir,
  (JSON.parse(readFileSync(join(cliDir, "package.json"), "utf8")) as { bin: { capstan: string } }).bin
    .capstan,
);
const tmp = mkdtempSync(join(tmpdir(), "capstan-helm3-"));
const pathDir = join(tmp, "bin"); // `capstan` on PATH, as users have it
const capstanHome = join(tmp, "capstan-plugins");
const helmHome = join(tmp, "helm-plugins");
let s3: LocalS3;
const chart = new Uint8Array(randomBytes(200_000));
const manifests =
  "# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  k: v\n";

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${pathDir}:${process.env.PATH ?? ""}`, HOME: tmp, ...extra };
}

beforeAll(async () => {
  mkdirSync(pathDir);
  symlinkSync(cliBin, join(pathDir, "capstan"));
  for (const name of ["add-labels", "s3"]) {
    const dir = join(examples, name);
    await buildPluginIfStale(dir, { skipOpt: true });
    mkdirSync(join(capstanHome, name), { recursive: true });
    for (const f of ["plugin.yaml", "plugin.wasm"]) copyFileSync(join(dir, f), join(capstanHome, name, f));
  }
  // Helm 3's plugin directory holds the bridge (helm plugin install copies the directory).
  cpSync(bridge, join(helmHome, "capstan-bridge"), {
    recursive: true,
    filter: (src) => !/node_modules|\/test|\.test-results/.test(src),
  });
  s3 = await startLocalS3(["charts"]);
  await s3.put("charts", "web-1.0.0.tgz", chart);
}, 180_000);
afterAll(async () => {
  await s3?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("capstan as Helm 3's --post-renderer", () => {
  // helm install web ./chart --post-renderer capstan --post-renderer-args postrender \
  //   --post-renderer-args add-labels --post-renderer-args -- --post-renderer-args --label ...
  test("exec(capstan, args) with manifests on stdin writes the result to stdout", () => {
    const r = spawnSync("capstan", ["postrender", "add-labels", "--", "--label", "team=payments"], {
      input: manifests,
      encoding: "utf8",
      env: baseEnv({ CAPSTAN_PLUGINS: capstanHome }),
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("# Source: web/templates/cm.yaml");
    expect(r.stdout).toContain("    team: payments\n");
  });

  test("a failure exits non-zero with the reason on stderr (Helm 3 shows it)", () => {
    const r = spawnSync("capstan", ["postrender", "no-such-plugin"], {
      input: manifests,
      encoding: "utf8",
      env: baseEnv({ CAPSTAN_PLUGINS: capstanHome }),
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no-such-plugin");
  });
});

describe("the capstan-bridge downloader plugin (Helm 3 legacy format)", () => {
  const installed = join(helmHome, "capstan-bridge");
  // What Helm 3's plugingetter runs: filepath.Join(base, command), certFile, keyFile, caFile, href,
  // with os.Environ() plus the plugin variables.
  const helm3Exec = (href: string, env: Record<string, string>) =>
    spawnSync(join(installed, "bin", "capstan-pull"), ["", "", "", href], {
      env: baseEnv({
        HELM_PLUGIN_NAME: "capstan-bridge",
        HELM_PLUGIN_DIR: installed,
        HELM_PLUGINS: helmHome,
        ...env,
      }),
    });
  const awsEnv = () => ({
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
  });

  test("Capstan reads its plugin.yaml as a legacy getter for s3", async () => {
    const { manifest } = await loadManifest(installed);
    expect(manifest).toMatchObject({ apiVersion: "legacy", type: "getter/v1", runtime: "subprocess" });
    expect(manifest.getter?.protocols).toEqual(["s3"]);
  });

  test("Helm 3's downloader call returns the object on stdout, through the Wasm s3 getter", () => {
    const r = helm3Exec("s3://charts/web-1.0.0.tgz", { CAPSTAN_PLUGINS: capstanHome, ...awsEnv() });
    expect(r.stderr.toString()).toBe("");
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, Buffer.from(chart))).toBe(0);
  });

  test("getter errors reach Helm 3 on stderr with a non-zero exit", () => {
    const r = helm3Exec("s3://charts/missing.tgz", { CAPSTAN_PLUGINS: capstanHome, ...awsEnv() });
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toContain("NoSuchKey");
  });

  test("without a Capstan getter, the bridge refuses to call itself again", () => {
    // No CAPSTAN_PLUGINS: Capstan falls back to HELM_PLUGINS and finds only the bridge.
    const r = helm3Exec("s3://charts/web-1.0.0.tgz", awsEnv());
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toContain("no Capstan getter plugin serves s3://charts/web-1.0.0.tgz");
  });

  test("wrong arity is a clear error", () => {
    const r = spawnSync(join(installed, "bin", "capstan-pull"), ["s3://x/y"], { env: baseEnv() });
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toContain("expected certFile keyFile caFile href");
  });
});
