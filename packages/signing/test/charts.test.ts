// Chart provenance: a chart's .prov is the same format as a plugin's, with Chart.yaml as the
// metadata block. capstan-sign signs and verifies charts; a Helm-layout .prov made by the real
// gpg verifies here, and ours verifies in gpg.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKeyring, readTarballMetadata, sha256File, verifyTarball } from "@capstan/signing";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { chartYaml, makeChartTarball } from "./helpers/chart-tarball.js";
import { Gpg } from "./helpers/gpg.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(pkg, "bin", "capstan-sign.js");
let gpg: Gpg;
let work: string;
let fpr: string;

function sign(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: work });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The signed body Helm writes for a chart: yaml.Marshal(metadata) (keys sorted), `...`, files. */
function helmChartBody(name: string, version: string, fileName: string, sha256: string): string {
  const metadata =
    `apiVersion: v2\nappVersion: 1.16.0\ndescription: A Helm chart for Kubernetes\nname: ${name}\n` +
    `type: application\nversion: ${version}\n`;
  return `${metadata}\n...\nfiles:\n  ${fileName}: sha256:${sha256}\n`;
}

beforeAll(() => {
  execFileSync(process.execPath, [join(pkg, "node_modules", "@capstan", "build-tools", "build-lib.mjs")], {
    cwd: pkg,
  });
  gpg = new Gpg();
  work = join(gpg.home, "work");
  mkdirSync(work, { recursive: true });
  gpg.run(["--list-keys"]);
  fpr = gpg.genKey("Chart Publisher <charts@example.com>");
  writeFileSync(join(work, "pubring.gpg"), gpg.run(["--export", fpr]).stdout);
  writeFileSync(join(work, "secring.gpg"), gpg.run(["--export-secret-keys", fpr]).stdout);
});
afterAll(() => {
  gpg?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

test("readTarballMetadata reads a chart's Chart.yaml, not a subchart's; plugin.yaml beside it is ambiguous", async () => {
  const tgz = makeChartTarball(join(work, "meta"), "web", "0.1.0");
  expect(await readTarballMetadata(tgz)).toEqual({
    yaml: chartYaml("web", "0.1.0"),
    name: "web",
    version: "0.1.0",
    kind: "chart",
    file: "Chart.yaml",
  });
  const both = join(work, "both-src", "x");
  mkdirSync(both, { recursive: true });
  writeFileSync(join(both, "Chart.yaml"), chartYaml("x", "1.0.0"));
  writeFileSync(join(both, "plugin.yaml"), "name: x\nversion: 1.0.0\n");
  execFileSync("tar", ["-czf", join(work, "both.tgz"), "-C", join(work, "both-src"), "x"]);
  await expect(readTarballMetadata(join(work, "both.tgz"))).rejects.toMatchObject({
    code: "TARBALL_UNREADABLE",
    message: expect.stringContaining("several metadata files (x/Chart.yaml, x/plugin.yaml)"),
  });
});

test("capstan-sign signs a chart (Chart.yaml is the metadata); verify says Chart; gpg --verify accepts it", () => {
  const tgz = makeChartTarball(join(work, "signed"), "web", "0.1.0");
  const s = sign(["sign", tgz, "--key", "Chart Publisher", "--keyring", "secring.gpg"]);
  expect(s.stderr).toBe("");
  expect(s.status).toBe(0);
  const prov = readFileSync(`${tgz}.prov`, "utf8");
  expect(prov).toContain(`${chartYaml("web", "0.1.0")}\n...\nfiles:\n  web-0.1.0.tgz: sha256:`);
  const v = sign(["verify", tgz, "--keyring", "pubring.gpg"]);
  expect(v.stderr).toBe("");
  expect(v.stdout).toMatch(
    new RegExp(
      `^Signed by: Chart Publisher <charts@example.com>\\nUsing Key With Fingerprint: ${fpr}\\nKey ID: [0-9A-F]{16}\\nChart Hash Verified: sha256:[0-9a-f]{64}\\nChart: web 0.1.0\\n$`,
    ),
  );
  expect(gpg.run(["--verify", `${tgz}.prov`]).stderr).toContain(
    'Good signature from "Chart Publisher <charts@example.com>"',
  );
  // A changed chart under the same name fails with the digest reason, exit 5.
  copyFileSync(makeChartTarball(join(work, "evil"), "web", "0.1.0", 50), tgz);
  const bad = sign(["verify", tgz, "--keyring", "pubring.gpg"]);
  expect(bad.status).toBe(5);
  expect(bad.stderr).toMatch(/^Error: digest mismatch for web-0\.1\.0\.tgz: /);
});

test("a .prov in Helm's chart layout, clearsigned by gpg, verifies; one signing another version is refused naming Chart.yaml", async () => {
  const dir = join(work, "helm");
  const tgz = makeChartTarball(dir, "api", "2.3.4");
  const sha = await sha256File(tgz);
  const body = join(dir, "body.txt");
  writeFileSync(body, helmChartBody("api", "2.3.4", "api-2.3.4.tgz", sha));
  gpg.run(["--local-user", fpr, "--digest-algo", "SHA512", "--clearsign", "-o", `${tgz}.prov`, body]);
  const keyring = await loadKeyring(join(work, "pubring.gpg"));
  const r = await verifyTarball(tgz, { keyring });
  expect(r).toMatchObject({ kind: "chart", fileName: "api-2.3.4.tgz", hash: `sha256:${sha}` });
  expect(r.metadata).toMatchObject({ name: "api", version: "2.3.4", apiVersion: "v2", type: "application" });
  expect(r.signer.fingerprint).toBe(fpr);

  // Same digest, but the signed Chart.yaml block says another version.
  writeFileSync(body, helmChartBody("api", "2.3.5", "api-2.3.4.tgz", sha));
  gpg.run(["--local-user", fpr, "--digest-algo", "SHA512", "--clearsign", "-o", `${tgz}.prov`, body]);
  await expect(verifyTarball(tgz, { keyring })).rejects.toMatchObject({
    code: "PROV_METADATA_MISMATCH",
    exitCode: 5,
    message: expect.stringMatching(/signs chart api 2\.3\.5, but the tarball's Chart\.yaml is api 2\.3\.4$/),
  });
});
