// Global flags end to end through the built binary: --strict (unknown runtimeConfig keys become
// errors), --debug (a Wasm plugin's debug logs reach stderr), and cli plugins shadowed by a
// built-in command of the same name.

import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat, capstan, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

let home: Home;
const v1 = (name: string, extra = "") =>
  `apiVersion: v1\nname: ${name}\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n${extra}`;

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  const cli = await assembleWat("cli");
  writePlugin(home, "wunknown", v1("wunknown", "runtimeConfig:\n  timeout: 5000\n  colour: blue\n"), {
    "plugin.wasm": cli,
  });
  writePlugin(home, "wlogs", v1("wlogs", "runtimeConfig:\n  entryFuncName: logs\n"), { "plugin.wasm": cli });
  writePlugin(home, "pull", v1("pull"), { "plugin.wasm": cli });
  writePlugin(
    home,
    "env",
    'name: env\nversion: 0.1.0\nusage: shadowed\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n',
    { "run.sh": "#!/bin/sh\necho plugin env\n" },
  );
});
afterAll(() => home.remove());

test("an unknown runtimeConfig key is a warning; --strict before the plugin name makes it an error (exit 3)", async () => {
  const loose = await capstan(home, ["wunknown", "a"]);
  expect(loose.code).toBe(0);
  expect(loose.stdout).toBe('wasm cli got: {"extraArgs":["a"]}\n');
  expect(loose.stderr).toMatch(/^warning: .*colour/m);

  const strict = await capstan(home, ["--strict", "wunknown", "a"]);
  expect(strict.code).toBe(3);
  expect(strict.stdout).toBe("");
  expect(strict.stderr).toMatch(/^error: .*colour/m);
  expect(strict.stderr).toContain(join(home.plugins, "wunknown", "plugin.yaml"));
  expect(strict.stderr).toMatch(/^hint: /m);

  // After the plugin name, --strict is the plugin's own argument (only Helm's flags are taken out).
  const passed = await capstan(home, ["wunknown", "--strict"]);
  expect(passed.code).toBe(0);
  expect(passed.stdout).toBe('wasm cli got: {"extraArgs":["--strict"]}\n');
});

test("--strict on built-in commands: plugin list reports the plugin as broken and lists the others", async () => {
  const r = await capstan(home, ["plugin", "list", "--strict"]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`warning: skipped broken plugin ${join(home.plugins, "wunknown")}`);
  expect(r.stdout).not.toContain("wunknown");
  expect(r.stdout).toContain("wlogs");
  const loose = await capstan(home, ["plugin", "list"]);
  expect(loose.stdout).toContain("wunknown");
});

test("--debug (before or after the plugin name) and HELM_DEBUG show a Wasm plugin's debug and info logs", async () => {
  const quiet = await capstan(home, ["wlogs"]);
  expect(quiet.code).toBe(0);
  expect(quiet.stderr).toBe("wlogs: warn: warn from wasm\n");
  for (const run of [
    capstan(home, ["--debug", "wlogs"]),
    capstan(home, ["wlogs", "--debug"]),
    capstan(home, ["wlogs"], { env: { HELM_DEBUG: "true" } }),
  ]) {
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "wlogs: debug: debug from wasm\nwlogs: info: info from wasm\nwlogs: warn: warn from wasm\n",
    );
    expect(r.stdout).toBe("");
  }
});

test("a cli plugin named like a built-in command is reported as shadowed, with a hint", async () => {
  const list = await capstan(home, ["plugin", "list"]);
  expect(list.code).toBe(0);
  for (const name of ["pull", "env"]) {
    expect(list.stderr).toContain(
      `warning: plugin "${name}" (${join(home.plugins, name)}) is shadowed by the built-in command "${name}"`,
    );
    expect(list.stderr).toContain(
      `hint: rename the plugin (name: in ${join(home.plugins, name, "plugin.yaml")})`,
    );
  }
  expect(list.stderr).not.toContain('plugin "wlogs"');
  // The STATE column says it too; a plugin that runs says ok.
  const row = (name: string) => list.stdout.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";
  expect(row("pull")).toMatch(/ shadowed$/);
  expect(row("env")).toMatch(/ shadowed$/);
  expect(row("wlogs")).toMatch(/ ok$/);
  // The built-in runs.
  const env = await capstan(home, ["env"]);
  expect(env.stdout).not.toContain("plugin env");
  expect(env.stdout).toContain("HELM_PLUGINS=");
  const help = await capstan(home, ["--help"]);
  expect(help.stdout).toMatch(/^ {2}pull +\(shadowed by the built-in command/m);
});
