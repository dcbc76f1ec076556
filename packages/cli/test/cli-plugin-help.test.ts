// `capstan help <plugin>` and `capstan <plugin> --help` (ignoreFlags plugins): the plugin's
// usage, shortHelp and longHelp from plugin.yaml, escaped; flags of other plugins still reach them.
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { capstan, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

let home: Home;
beforeAll(() => {
  requireBuild();
  home = makeHome();
  writePlugin(
    home,
    "quiet",
    [
      "apiVersion: v1",
      "name: quiet",
      "version: 1.0.0",
      "type: cli/v1",
      "runtime: subprocess",
      "config:",
      '  usage: "quiet [--loud] <file>"',
      '  shortHelp: "check a file\\e]0;title\\a"',
      '  longHelp: "Reads <file> and says nothing.\\nExit 1\\rwhen it is empty."',
      "  ignoreFlags: true",
      "runtimeConfig:",
      "  platformCommand:",
      "    - command: sh",
      '      args: ["-c", "echo ran-quiet"]',
      "",
    ].join("\n"),
  );
  writePlugin(
    home,
    "echoer",
    [
      "apiVersion: v1",
      "name: echoer",
      "version: 0.2.0",
      "type: cli/v1",
      "runtime: subprocess",
      "config:",
      '  shortHelp: "print the arguments"',
      "runtimeConfig:",
      "  platformCommand:",
      "    - command: sh",
      '      args: ["-c", "echo args: \\"$@\\"", "echoer"]',
      "",
    ].join("\n"),
  );
});
afterAll(() => home.remove());

const quietHelp = (plugins: string) =>
  "Usage: capstan quiet [--loud] <file>\n\n" +
  "check a file\\u001b]0;title\\u0007\n\n" +
  "Reads <file> and says nothing.\nExit 1\\rwhen it is empty.\n\n" +
  "This plugin ignores flags and arguments (ignoreFlags: true).\n\n" +
  `Plugin quiet 1.0.0 (cli/v1, subprocess) in ${plugins}/quiet\n`;

test("capstan help <plugin> prints usage, shortHelp and longHelp, escaped", async () => {
  const r = await capstan(home, ["help", "quiet"]);
  expect(r).toMatchObject({ code: 0, stderr: "" });
  expect(r.stdout).toBe(quietHelp(home.plugins));
  for (const c of ["\x1b", "\x07", "\r"]) expect(r.stdout).not.toContain(c);
});

test("capstan <plugin> --help shows the help of a plugin that ignores flags, without running it", async () => {
  for (const flag of ["--help", "-h"]) {
    const r = await capstan(home, ["quiet", flag]);
    expect(r).toMatchObject({ code: 0, stdout: quietHelp(home.plugins) });
    expect(r.stdout).not.toContain("ran-quiet");
  }
  // Without the flag it runs (with no arguments at all, as ignoreFlags says).
  expect(await capstan(home, ["quiet", "x"])).toMatchObject({ code: 0, stdout: "ran-quiet\n" });
});

test("a plugin that takes flags gets --help itself; capstan help shows its defaults", async () => {
  expect(await capstan(home, ["echoer", "--help"])).toMatchObject({ code: 0, stdout: "args: --help\n" });
  const r = await capstan(home, ["help", "echoer"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    `Usage: capstan echoer\n\nprint the arguments\n\nPlugin echoer 0.2.0 (cli/v1, subprocess) in ${home.plugins}/echoer\n`,
  );
});

test("capstan help <unknown> is a usage error; capstan help <built-in> is the built-in's help", async () => {
  const r = await capstan(home, ["help", "nope"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'error: unknown command "nope" (no built-in command or cli plugin has that name)\n' +
      "hint: run 'capstan --help' for commands, or 'capstan plugin list' for installed plugins\n",
  );
  const pull = await capstan(home, ["help", "pull"]);
  expect(pull.code).toBe(0);
  expect(pull.stdout).toContain("Usage: capstan pull [options] <href>");
});
