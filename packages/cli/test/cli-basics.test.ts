// The capstan command itself: help, version, env, errors and exit codes, plugin list.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { capstan, capstanBin, type Home, makeHome, requireBuild, sanitize, writePlugin } from "./helpers.js";

let home: Home;
beforeAll(() => {
  requireBuild();
  home = makeHome();
  writePlugin(
    home,
    "hello",
    'name: hello\nversion: 0.1.0\nusage: "say hello"\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n',
    {
      "run.sh": "#!/bin/sh\necho hello\n",
    },
  );
  writePlugin(
    home,
    "upper",
    "apiVersion: v1\nname: upper\nversion: 1.2.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: tr\n      args: [a-z, A-Z]\n",
  );
  writePlugin(
    home,
    "s3",
    "name: s3\nversion: 2.0.0\ndownloaders:\n  - protocols: [s3]\n    command: get.sh\n",
  );
  writePlugin(home, "zz-broken", "name: broken\nversion: not-semver\n");
  writePlugin(home, "zz-dup", 'name: hello\nversion: 9.9.9\ncommand: "echo"\n');
  writeFileSync(
    join(home.plugins, "upper", ".capstan-install.json"),
    JSON.stringify({
      source: "https://example.com/upper-1.2.0.tgz",
      kind: "url",
      version: "1.2.0",
      provenance: null,
      installedAt: "2026-01-01T00:00:00.000Z",
    }),
  );
});
afterAll(() => home.remove());

test("help lists commands and installed cli plugins", async () => {
  const r = await capstan(home, ["--help"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("plugin ");
  expect(r.stdout).toContain("postrender [options] <plugin...>");
  expect(r.stdout).toMatch(/Plugins \(capstan <plugin> \[args\]\):\n {2}hello +say hello/);
  expect(r.stdout).toContain("2 plugin(s) skipped (broken, shadowed or not a directory)");
  // Only the plugin section is snapshotted: other engineers add commands to the list above it.
  expect(r.stdout.slice(r.stdout.indexOf("\nPlugins"))).toMatchSnapshot();
  expect((await capstan(home, [])).stdout).toBe(r.stdout);
  expect((await capstan(home, ["help"])).stdout).toBe(r.stdout);
});

test("version: --version and the version command name Node and the platform; --short the number", async () => {
  const a = await capstan(home, ["--version"]);
  const b = await capstan(home, ["version"]);
  const line = `capstan ${JSON.parse(readFileSync(join(capstanBin, "..", "..", "package.json"), "utf8")).version} (node ${process.version}, ${process.platform}/${process.arch})\n`;
  expect(a).toEqual({ code: 0, stdout: line, stderr: "" });
  expect(b.stdout).toBe(a.stdout);
  const short = await capstan(home, ["version", "--short"]);
  expect(short).toEqual({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\S*\n$/), stderr: "" });
  expect(line).toContain(` ${short.stdout.trim()} `);
});

test("env prints the HELM_* variables plugins get, flags included", async () => {
  const r = await capstan(home, ["env", "-n", "team-a", "--kube-context", "prod"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('HELM_NAMESPACE="team-a"\n');
  expect(r.stdout).toContain('HELM_KUBECONTEXT="prod"\n');
  expect(sanitize(home, r.stdout)).toMatchSnapshot();
});

test("plugin list shows every good plugin and reports broken and shadowed ones on stderr", async () => {
  const r = await capstan(home, ["plugin", "list"]);
  expect(r.code).toBe(0);
  expect(sanitize(home, r.stdout)).toMatchSnapshot();
  expect(sanitize(home, r.stderr)).toMatchSnapshot();
  expect(r.stderr).toContain(`warning: skipped broken plugin ${join(home.plugins, "zz-broken")}`);
  expect(r.stderr).toContain(`plugin "hello" in ${join(home.plugins, "zz-dup")} is ignored`);
});

test("plugin list --type filters; an unknown type is a usage error", async () => {
  const r = await capstan(home, ["plugin", "list", "--type", "getter"]);
  expect(
    r.stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(/\s+/)[0]),
  ).toEqual(["s3"]);
  const hip = await capstan(home, ["plugin", "ls", "--type", "postrender.plugins.helm.sh/v1"]);
  expect(hip.stdout).toContain("upper");
  expect(hip.stdout).not.toContain("hello");
  const bad = await capstan(home, ["plugin", "list", "--type", "nope"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toBe(
    "error: --type: unknown plugin type \"nope\" (use cli, getter or postrenderer)\nhint: run 'capstan plugin list --help' for usage\n",
  );
});

test("errors: one line, one hint, documented exit codes", async () => {
  const unknown = await capstan(home, ["frobnicate"]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatchSnapshot();
  const flag = await capstan(home, ["plugin", "list", "--bogus"]);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toBe(
    "error: unknown option '--bogus'\nhint: run 'capstan plugin list --help' for usage\n",
  );
  const sub = await capstan(home, ["plugin", "frob"]);
  expect(sub.code).toBe(2);
  const missingArg = await capstan(home, ["pull"]);
  expect(missingArg.code).toBe(2);
  expect(missingArg.stderr).toContain("error: missing required argument 'href'");
  const broken = await capstan(home, ["zz-broken"]);
  expect(broken.code).toBe(3);
  expect(broken.stderr).toMatch(/^error: .*plugin\.yaml.*\nhint: /);
  const notCli = await capstan(home, ["upper"]);
  expect(notCli.code).toBe(2);
  expect(notCli.stderr).toContain("is a postrenderer/v1 plugin, not cli/v1");
});

test("--debug adds the stack trace to errors, before the hint", async () => {
  const r = await capstan(home, ["--debug", "pull", "nourl"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^error: "nourl" is not a URL.*\n {4}at .*\nhint: [^\n]*\n$/s);
});

test("light built-ins (run by the entry) print what commander's forms print", async () => {
  // `-n x env` and `plugin list --type=cli` run without commander; the other form with it.
  const pairs: [string[], string[]][] = [
    [
      ["-n", "team-b", "--kube-context=c", "env"],
      ["env", "--namespace", "team-b", "--kube-context", "c"],
    ],
    [
      ["plugin", "list", "--type=cli"],
      ["plugin", "list", "--type", "cli", "--"],
    ],
    [
      ["--strict", "plugin", "ls"],
      ["plugin", "ls", "--strict"],
    ],
    [["version"], ["--version"]],
  ];
  for (const [light, commander] of pairs) {
    const a = await capstan(home, light);
    const b = await capstan(home, commander);
    expect([light, a]).toEqual([light, b]);
  }
});

test("a stray file in the plugin home is skipped with a warning; plugin.yaml text reaches the terminal escaped", async () => {
  const stray = makeHome();
  try {
    writeFileSync(join(stray.plugins, "notes.txt"), "my notes");
    writePlugin(
      stray,
      "evil",
      [
        "apiVersion: v1",
        "name: evil",
        "version: 0.1.0",
        "type: cli/v1",
        "runtime: subprocess",
        "config:",
        '  shortHelp: "fine\\rHIDDEN\\e]0;title\\a"',
        "runtimeConfig:",
        "  platformCommand:",
        "    - command: echo",
        "      args: [evil]",
        '  "bogus\\e[2J": 1',
        "",
      ].join("\n"),
    );
    const list = await capstan(stray, ["plugin", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("evil");
    expect(list.stderr).toContain(
      `warning: skipped ${join(stray.plugins, "notes.txt")}: it is a file, not a plugin directory`,
    );
    const help = await capstan(stray, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("evil  fine\\rHIDDEN\\u001b]0;title\\u0007");
    const run = await capstan(stray, ["evil"]);
    expect(run).toMatchObject({ code: 0, stdout: "evil\n" });
    expect(run.stderr).toContain("bogus\\u001b[2J");
    for (const r of [list, help, run])
      for (const c of ["\x1b", "\x07", "\r"]) expect(r.stdout + r.stderr).not.toContain(c);
  } finally {
    stray.remove();
  }
});
