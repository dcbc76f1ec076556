// Grants: install reports what a plugin may do before it is enabled; an update that widens
// them is refused until accepted (flag or interactive yes); the text is terminal-safe.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveSettings } from "@capstan/host";
import { loadManifest } from "@capstan/manifest";
import { afterAll, expect, test } from "@jest/globals";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { formatGrants, type PluginGrants } from "../src/install/plugin-grants.js";
import { signedArchive } from "./helpers/dist-fixtures.js";

const work = mkdtempSync(join(tmpdir(), "capstan-grants-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A packaged extism/v1 plugin `wasmy` at `version` with the given runtimeConfig lines. */
async function archive(version: string, runtimeConfig: string): Promise<string> {
  const dir = join(work, `src-${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    `apiVersion: v1\nname: wasmy\nversion: ${version}\ntype: cli/v1\nruntime: extism/v1\nruntimeConfig:\n${runtimeConfig}`,
  );
  writeFileSync(join(dir, "plugin.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  return (await signedArchive(dir, join(work, `out-${version}`), null)).path;
}

test("install shows the grants; a widening update needs --accept-grants or a yes", async () => {
  const v1 = await archive(
    "1.0.0",
    '  allowedHosts: ["api.example.com"]\n  allowedPaths:\n    /srv/data: /data\n  timeout: 1000\n',
  );
  const v2 = await archive(
    "1.1.0",
    '  allowedHosts: ["api.example.com", "*.evil.test"]\n  allowedPaths:\n    /srv/data: /data:rw\n  env: [AWS_SECRET_ACCESS_KEY]\n  timeout: 1000\n',
  );
  const source = join(work, "wasmy.tgz");
  copyFileSync(v1, source);
  const home = join(work, "home");
  mkdirSync(home);
  const env = { CAPSTAN_PLUGINS: home, HOME: work };
  const shown: { grants: PluginGrants; widened: readonly string[] }[] = [];
  const opts = {
    settings: resolveSettings(env),
    env,
    verify: false,
    hookOutput: "pipe" as const,
    onGrants: (grants: PluginGrants, widened: readonly string[]) => shown.push({ grants, widened }),
  };
  const r = await installPlugin(source, opts);
  expect(r.grants).toEqual({
    sandboxed: true,
    hosts: ["api.example.com"],
    paths: [{ host: "/srv/data", guest: "/data", writable: false }],
    env: [],
    hostFunctions: [],
    timeoutMs: 1000,
    maxPages: undefined,
    maxHttpResponseBytes: undefined,
  });
  expect(shown).toHaveLength(1);
  expect(formatGrants(r.grants)).toContain("  paths: /srv/data -> /data (ro)");

  copyFileSync(v2, source);
  const widened = [
    "new network host *.evil.test",
    "path /srv/data becomes writable",
    "new environment variable AWS_SECRET_ACCESS_KEY",
  ];
  await expect(updatePlugin("wasmy", opts)).rejects.toMatchObject({
    code: "UPDATE_GRANTS_WIDENED",
    exitCode: 5,
    message: `wasmy 1.1.0 asks for more than the installed version: ${widened.join("; ")}`,
  });
  // An interactive "no" refuses too; the installed version stays.
  const asked: (readonly string[])[] = [];
  const no = async (w: readonly string[]) => {
    asked.push(w);
    return false;
  };
  await expect(updatePlugin("wasmy", { ...opts, confirmGrants: no })).rejects.toMatchObject({
    code: "UPDATE_GRANTS_WIDENED",
  });
  expect(asked).toEqual([widened]);
  expect((await loadManifest(join(home, "wasmy"))).manifest.version).toBe("1.0.0");
  // A yes, or --accept-grants, lets it through and reports what widened.
  const u = await updatePlugin("wasmy", { ...opts, confirmGrants: async () => true });
  expect(u).toMatchObject({ version: "1.1.0", widened });
  // Same grants again: nothing to accept.
  const same = await updatePlugin("wasmy", { ...opts, force: true });
  expect(same).toMatchObject({ version: "1.1.0", widened: [] });
  copyFileSync(v1, source);
  // Narrowing never asks.
  expect(await updatePlugin("wasmy", { ...opts, force: true })).toMatchObject({ widened: [] });
  copyFileSync(v2, source);
  expect(await updatePlugin("wasmy", { ...opts, acceptGrants: true })).toMatchObject({ widened });
});

test("grant lines escape control characters and say a subprocess plugin is not sandboxed", () => {
  const g: PluginGrants = {
    sandboxed: true,
    hosts: ["a.test\u001b]0;pwned\u0007"],
    paths: [],
    env: [],
    hostFunctions: [],
    timeoutMs: undefined,
    maxPages: 4,
    maxHttpResponseBytes: undefined,
  };
  const lines = formatGrants(g);
  expect(lines[0]).toBe("  network hosts: a.test\\u001b]0;pwned\\u0007");
  for (const line of lines) expect([...line].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true);
  expect(formatGrants({ ...g, sandboxed: false })).toEqual([
    "  sandbox: none: a subprocess plugin runs as a program with all of your user's rights",
  ]);
});
