// Shell completion (issue 12, item 10): `capstan __complete` completes subcommands, flags,
// flag values and installed plugin names; the scripts of `capstan completion bash|zsh|fish`
// run in the real shells (tools/setup/system-deps.sh installs zsh and fish) against the built
// capstan on PATH.
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { capstan, capstanBin, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

let home: Home;
let env: Record<string, string>;
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
  // `capstan` on PATH, as the scripts call it by the name typed.
  const bin = join(home.root, "bin");
  mkdirSync(bin);
  symlinkSync(capstanBin, join(bin, "capstan"));
  env = { ...home.env, PATH: `${bin}:${home.env.PATH}` };
  writeFileSync(join(home.root, "values-file.yaml"), "");
});
afterAll(() => home.remove());

/** The candidates (without descriptions) `capstan __complete ...words` prints. */
async function candidates(...words: string[]): Promise<string[]> {
  const r = await capstan(home, ["__complete", ...words]);
  expect({ words, code: r.code, stderr: r.stderr }).toEqual({ words, code: 0, stderr: "" });
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t")[0]!);
}

test("__complete: commands and cli plugins, subcommands, flags, flag values and plugin names", async () => {
  const top = await candidates("");
  expect(top).toEqual(expect.arrayContaining(["plugin", "pull", "completion", "version", "help", "hello"]));
  expect(top).not.toContain("upper"); // a post-renderer is no command
  expect(top).not.toContain("__complete");
  expect(await candidates("pl")).toEqual(["plugin"]);
  expect(await candidates("plugin", "li")).toEqual(["list"]);
  expect(await candidates("plugin", "repo", "")).toEqual(["add", "list", "update", "remove", "index"]);
  expect(await candidates("plugin", "list", "--o")).toEqual(["--output"]);
  expect(await candidates("plugin", "list", "-o", "")).toEqual(["table", "json", "yaml"]);
  expect(await candidates("plugin", "list", "--output=j")).toEqual(["--output=json"]);
  expect(await candidates("plugin", "list", "--type", "g")).toEqual(["getter"]);
  expect(await candidates("--debug", "-n", "team", "plugin", "uninstall", "")).toEqual([
    "hello",
    "s3",
    "upper",
  ]);
  expect(await candidates("plugin", "uninstall", "hello", "")).toEqual(["s3", "upper"]);
  expect(await candidates("postrender", "")).toEqual(["upper"]);
  expect(await candidates("help", "he")).toEqual(["helm3", "helm4", "hello"]);
  expect(await candidates("completion", "")).toEqual(["bash", "zsh", "fish"]);
  // A path or URL, and a plugin's own arguments: nothing, so the shell completes files.
  expect(await candidates("plugin", "install", "")).toEqual([]);
  expect(await candidates("hello", "")).toEqual([]);
  expect(await candidates("pull", "-d", "")).toEqual([]);
  // Descriptions come after a tab: the plugin's usage is not needed, its type is shown.
  const described = (await capstan(home, ["__complete", "plugin", "uninstall", "u"])).stdout;
  expect(described).toBe("upper\tpostrenderer/v1\n");
});

test("completion prints a script per shell; an unknown shell is a usage error", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await capstan(home, ["completion", shell]);
    expect({ shell, code: r.code }).toEqual({ shell, code: 0 });
    expect(r.stdout).toContain("__complete");
  }
  const bad = await capstan(home, ["completion", "tcsh"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('unknown shell "tcsh" (use bash, zsh, fish)');
});

function shell(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { env, cwd: home.root, encoding: "utf8" });
  expect({ cmd, status: r.status, stderr: r.stderr, error: r.error }).toEqual({
    cmd,
    status: 0,
    stderr: "",
    error: undefined,
  });
  return r.stdout;
}

test("bash: the script completes through _capstan (words up to the cursor, --flag=value)", () => {
  const out = shell("bash", [
    "--norc",
    "-c",
    `source <(capstan completion bash)
complete -p capstan
comp() { COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=(); _capstan; printf '%s|' "\${COMPREPLY[@]}"; echo; }
comp "capstan plu"
comp "capstan plugin list --output=y"
comp "capstan postrender "
comp "capstan plugin uninstall he"
comp "capstan hello "`,
  ]);
  expect(out).toBe(
    ["complete -o default -F _capstan capstan", "plugin|", "yaml|", "upper|", "hello|", "|", ""].join("\n"),
  );
});

test("zsh: _capstan hands the candidates with descriptions to _describe, files otherwise", () => {
  const out = shell("zsh", [
    "-f",
    "-c",
    `_describe() { print -rl -- "\${(@P)\${@[-1]}}" }
_files() { print -r -- "<files>" }
source <(capstan completion zsh)
words=(capstan plugin li); CURRENT=3; _capstan
words=(capstan postrender ""); CURRENT=3; _capstan
words=(capstan pull -d ""); CURRENT=4; _capstan`,
  ]);
  expect(out).toBe(["list:list installed plugins", "upper:postrenderer/v1", "<files>", ""].join("\n"));
});

test("fish: complete -C offers commands, plugin names with descriptions, and files as a fallback", () => {
  const out = shell("fish", [
    "--no-config",
    "-c",
    `capstan completion fish | source
complete -C "capstan plu"
complete -C "capstan postrender "
complete -C "capstan plugin install values-"`,
  ]);
  expect(out).toBe(
    [
      "plugin\tinstall, list, build and manage plugins",
      "upper\tpostrenderer/v1",
      "values-file.yaml",
      "",
    ].join("\n"),
  );
});
