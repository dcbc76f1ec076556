// Refusals whose order and wording matter to a newcomer (issue 12, items 15 and 16): an
// extism/v1 plugin without plugin.wasm is refused at install and update with the previous
// install intact; an unsigned tarball with no keyring is reported as unsigned first.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveSettings } from "@capstan/host";
import { afterAll, expect, test } from "@jest/globals";
import { installPlugin, updatePlugin } from "../src/install/install-plugin.js";
import { signedArchive, tempDir } from "./helpers/dist-fixtures.js";

const work = tempDir("capstan-refusals-");
afterAll(() => rmSync(work, { recursive: true, force: true }));
let homes = 0;

function home(keyring = join(work, "no-such-keyring.gpg")) {
  const dir = join(work, `home-${++homes}`);
  mkdirSync(dir);
  const env = { CAPSTAN_PLUGINS: dir, HOME: work };
  return { dir, opts: { settings: resolveSettings(env), env, keyring, hookOutput: "pipe" as const } };
}

/** An extism/v1 cli plugin directory `wasmy` at `version`, with or without its plugin.wasm. */
function wasmPluginDir(version: string, withWasm: boolean): string {
  const dir = join(work, `wasmy-${version}-${withWasm ? "built" : "unbuilt"}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    `apiVersion: v1\nname: wasmy\nversion: ${version}\ntype: cli/v1\nruntime: extism/v1\n`,
  );
  if (withWasm) writeFileSync(join(dir, "plugin.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  return dir;
}

test("a plugin directory without plugin.wasm is refused: link, archive and update keep what was there", async () => {
  const h = home();
  const unbuilt = wasmPluginDir("1.0.0", false);
  const linkErr = (await installPlugin(unbuilt, h.opts).catch((e: unknown) => e)) as {
    message: string;
    hint: string;
  };
  expect(linkErr).toMatchObject({ code: "PLUGIN_WASM_MISSING", exitCode: 1 });
  expect(linkErr.message).toContain(join(unbuilt, "plugin.wasm"));
  expect(linkErr.hint).toContain("capstan plugin build");
  expect(linkErr.hint).not.toContain("capstan-js");
  expect(readdirSync(h.dir)).toEqual([]);

  const tgz = await signedArchive(unbuilt, join(work, "out-unbuilt"), null);
  const opts = { ...h.opts, verify: false };
  await expect(installPlugin(tgz.path, opts)).rejects.toMatchObject({ code: "PLUGIN_WASM_MISSING" });
  expect(readdirSync(h.dir)).toEqual([]);

  // A built 1.0.0 installs; an update to an unbuilt 1.1.0 is refused and 1.0.0 stays in place.
  const built = await signedArchive(wasmPluginDir("1.0.0", true), join(work, "out-built"), null);
  await installPlugin(built.path, opts);
  const before = readFileSync(join(h.dir, "wasmy", "plugin.yaml"), "utf8");
  const next = await signedArchive(wasmPluginDir("1.1.0", false), join(work, "out-next"), null);
  writeFileSync(built.path, readFileSync(next.path)); // the recorded source now serves 1.1.0
  await expect(updatePlugin("wasmy", opts)).rejects.toMatchObject({ code: "PLUGIN_WASM_MISSING" });
  expect(readFileSync(join(h.dir, "wasmy", "plugin.yaml"), "utf8")).toBe(before);
  expect(readdirSync(join(h.dir, "wasmy")).sort()).toEqual([
    ".capstan-install.json",
    "plugin.wasm",
    "plugin.yaml",
  ]);
  expect(readdirSync(h.dir)).toEqual(["wasmy"]);
});

test("an unsigned tarball with no keyring is reported as unsigned, not as a missing keyring", async () => {
  const tgz = await signedArchive(wasmPluginDir("2.0.0", true), join(work, "out-unsigned"), null);
  const h = home();
  const err = await installPlugin(tgz.path, h.opts).catch((e: Error) => e);
  expect(err).toMatchObject({ code: "PROV_MISSING", exitCode: 5 });
  expect((err as Error).message).toMatch(/is not signed/);
  expect(readdirSync(h.dir)).toEqual([]);
  // A signed tarball (a .prov beside it) still needs the keyring: that error is the keyring's.
  writeFileSync(`${tgz.path}.prov`, "not checked before the keyring loads\n");
  await expect(installPlugin(tgz.path, h.opts)).rejects.toMatchObject({ code: "KEYRING_MISSING" });
});
