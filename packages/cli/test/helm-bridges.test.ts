// Helm bridges - see docs/helm-bridges.md. There is no helm binary here, so each test runs
// the exact command line Helm runs: Helm 3's --post-renderer executable exec'd with the
// --post-renderer-args and the manifests on stdin; a Helm 3 downloader plugin's command exec'd
// as `$HELM_PLUGIN_DIR/bin/capstan-getter certFile keyFile caFile href` with the environment
// Helm 3's SetupPluginEnv sets; Helm 4's subprocess post-renderer (platformCommand + args,
// manifests on stdin). Plugins are Wasm (WAT fixtures) run by the built capstan.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  assembleWat,
  capstan,
  capstanBin,
  type Home,
  makeHome,
  requireBuild,
  writePlugin,
} from "./helpers.js";

let home: Home;
/** Helm 3's own directories (its plugin dir holds the generated downloader plugin). */
let helm: { plugins: string; cache: string; config: string; data: string };
const v1 = (name: string, type: string, extra = "") =>
  `apiVersion: v1\nname: ${name}\nversion: 0.1.0\ntype: ${type}\nruntime: extism/v1\n${extra}`;

/** Execs `file` with `args` (no shell) the way Go's exec.Command does; stdin gets `input`. */
function exec(file: string, args: string[], env: Record<string, string>, input = "") {
  return new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve, reject) => {
    const child = spawn(file, args, { env, cwd: home.root, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** The user's environment when they run helm: no CAPSTAN_* variables, capstan not on PATH. */
function userEnv(): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home.root };
}

/** What Helm 3's plugin.SetupPluginEnv adds for a downloader plugin. */
function helmPluginEnv(name: string): Record<string, string> {
  return {
    ...userEnv(),
    HELM_PLUGIN_NAME: name,
    HELM_PLUGIN_DIR: join(helm.plugins, name),
    HELM_BIN: "/usr/local/bin/helm",
    HELM_PLUGINS: helm.plugins,
    HELM_CACHE_HOME: helm.cache,
    HELM_CONFIG_HOME: helm.config,
    HELM_DATA_HOME: helm.data,
    HELM_DEBUG: "false",
    HELM_NAMESPACE: "default",
    HELM_KUBECONTEXT: "",
    HELM_MAX_HISTORY: "10",
    HELM_REGISTRY_CONFIG: join(helm.config, "registry/config.json"),
    HELM_REPOSITORY_CACHE: join(helm.cache, "repository"),
    HELM_REPOSITORY_CONFIG: join(helm.config, "repositories.yaml"),
  };
}

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  helm = {
    plugins: join(home.root, ".local/share/helm/plugins"),
    cache: join(home.root, ".cache/helm"),
    config: join(home.root, ".config/helm"),
    data: join(home.root, ".local/share/helm"),
  };
  mkdirSync(helm.plugins, { recursive: true });
  const [getter, postrenderer, cli] = await Promise.all(["getter", "postrenderer", "cli"].map(assembleWat));
  writePlugin(home, "wcli", v1("wcli", "cli/v1", 'config:\n  shortHelp: "echoes: its input"\n'), {
    "plugin.wasm": cli!,
  });
  writePlugin(home, "wexit", v1("wexit", "cli/v1", "runtimeConfig:\n  entryFuncName: exit5\n"), {
    "plugin.wasm": cli!,
  });
  writePlugin(home, "wpr", v1("wpr", "postrenderer/v1"), { "plugin.wasm": postrenderer! });
  writePlugin(home, "wget", v1("wget", "getter/v1", "config:\n  protocols: [s3, gs]\n"), {
    "plugin.wasm": getter!,
  });
  // A post-renderer that shows the arguments it got (Helm's and the baked ones).
  writePlugin(
    home,
    "show-args",
    'apiVersion: v1\nname: show-args\nversion: 1.0.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: sh\n      args: [-c, \'printf "# args:"; printf " [%s]" "$@"; echo; cat\', sh]\n',
  );
});
afterAll(() => home?.remove());

describe("Helm 3 --post-renderer", () => {
  const script = () => join(home.root, "bin", "capstan-post-renderer");

  test("capstan helm3 post-renderer writes an executable script", async () => {
    mkdirSync(join(home.root, "bin"), { recursive: true });
    const r = await capstan(home, [
      "helm3",
      "post-renderer",
      "wpr",
      "show-args",
      "-o",
      script(),
      "--",
      "--label",
      "team=it's ours",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`use: helm install NAME CHART --post-renderer ${script()}`);
    expect(statSync(script()).mode & 0o111).toBe(0o111);
  });

  test("Helm 3's exec: args then manifests on stdin; plugins run in order from the baked plugin home", async () => {
    // Helm 3: exec.Command(postRendererPath, postRendererArgs...) with the manifests on stdin.
    const manifests = "---\n# Source: web/templates/svc.yaml\nkind: Service\n";
    // HELM_PLUGINS from Helm's environment must not move Capstan's plugin home.
    const r = await exec(script(), ["--x", "a b"], { ...userEnv(), HELM_PLUGINS: helm.plugins }, manifests);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(
      `# args: [--label] [team=it's ours] [--x] [a b]\n# post-rendered by wasm\n${manifests}`,
    );
  });

  test("no args from Helm works; CAPSTAN_BRIDGE_PLUGINS overrides the baked home, CAPSTAN_PLUGINS does not", async () => {
    const r = await exec(script(), [], userEnv(), "kind: A\n");
    expect(r.stdout.toString()).toBe(
      "# args: [--label] [team=it's ours]\n# post-rendered by wasm\nkind: A\n",
    );
    const other = await exec(script(), [], { ...userEnv(), CAPSTAN_PLUGINS: helm.plugins }, "kind: A\n");
    expect(other.stdout.toString()).toBe(
      "# args: [--label] [team=it's ours]\n# post-rendered by wasm\nkind: A\n",
    );
    const elsewhere = await exec(
      script(),
      [],
      { ...userEnv(), CAPSTAN_BRIDGE_PLUGINS: helm.plugins },
      "kind: A\n",
    );
    expect(elsewhere.code).toBe(4);
    expect(elsewhere.stderr).toMatch(/^error: no plugin named "wpr" is installed\nhint: /);
  });

  test("a missing plugin: warned at generation, exit 4 with a hint when Helm runs it", async () => {
    const file = join(home.root, "bin", "missing-pr");
    const gen = await capstan(home, ["helm3", "post-renderer", "nope", "-o", file]);
    expect(gen.code).toBe(0);
    expect(gen.stderr).toContain('warning: no post-renderer plugin "nope"');
    const r = await exec(file, [], userEnv(), "kind: A\n");
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error: no plugin named "nope" is installed\nhint: run 'capstan plugin list'/);
    expect(r.stdout.length).toBe(0);
  });

  test("capstan missing: exit 127 with a hint; CAPSTAN_BIN is used when set", async () => {
    const file = join(home.root, "bin", "lost-pr");
    await capstan(home, ["helm3", "post-renderer", "wpr", "-o", file, "--capstan", "/nonexistent/capstan"]);
    const r = await exec(file, [], userEnv(), "kind: A\n");
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(
      /^error: capstan not found: \/nonexistent\/capstan is not an executable and there is no capstan on PATH\nhint: install capstan/,
    );
    const withBin = await exec(file, [], { ...userEnv(), CAPSTAN_BIN: capstanBin }, "k: v\n");
    expect(withBin.stdout.toString()).toBe("# post-rendered by wasm\nk: v\n");
  });

  test("refuses to overwrite an existing file without --force", async () => {
    const r = await capstan(home, ["helm3", "post-renderer", "wpr", "-o", script()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists; pass --force to overwrite it\nhint: /);
    expect((await capstan(home, ["helm3", "post-renderer", "wpr", "-o", script(), "--force"])).code).toBe(0);
  });
});

describe("Helm 3 downloader plugin", () => {
  const bridge = () => join(helm.plugins, "capstan-getter");

  test("capstan helm3 downloader-plugin writes a Helm 3 plugin for the installed getters' schemes", async () => {
    const r = await capstan(home, ["helm3", "downloader-plugin", "-d", helm.plugins]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const yaml = readFileSync(join(bridge(), "plugin.yaml"), "utf8");
    expect(yaml).not.toMatch(/^apiVersion/m);
    expect(yaml).toContain('downloaders:\n  - command: "bin/capstan-getter"\n    protocols: ["gs", "s3"]\n');
    expect(statSync(join(bridge(), "bin", "capstan-getter")).mode & 0o111).toBe(0o111);
    // Capstan reads it as a legacy getter plugin, as Helm 3 does.
    const list = await capstan(home, ["plugin", "list"], { env: { CAPSTAN_PLUGINS: helm.plugins } });
    expect(list.stdout).toMatch(/capstan-getter\s+0\.1\.0\s+getter\/v1\s+legacy/);
  });

  test("Helm 3's exec: `bin/capstan-getter certFile keyFile caFile href` prints the bytes from the Wasm getter", async () => {
    const r = await exec(
      join(bridge(), "bin", "capstan-getter"),
      ["/certs/client.pem", "/certs/client.key", "/certs/ca.pem", "s3://charts/web-1.0.0.tgz"],
      helmPluginEnv("capstan-getter"),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // The WAT getter's content is the getter/v1 message it received.
    const message = JSON.parse(r.stdout.toString());
    expect(message).toMatchObject({
      href: "s3://charts/web-1.0.0.tgz",
      protocol: "s3",
      options: {
        URL: "s3://charts/web-1.0.0.tgz",
        CertFile: "/certs/client.pem",
        KeyFile: "/certs/client.key",
        CAFile: "/certs/ca.pem",
      },
    });
  });

  test("empty cert arguments (Helm's default) and the second scheme work", async () => {
    const r = await exec(
      join(bridge(), "bin", "capstan-getter"),
      ["", "", "", "gs://b/k"],
      helmPluginEnv("capstan-getter"),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toMatchObject({ protocol: "gs", options: { CertFile: "" } });
  });

  test("no getter for the scheme: exit 4 naming the plugin home; the bridge never picks itself", async () => {
    // Plugin home = Helm's plugin dir, which holds only the bridge (it lists s3 too).
    const r = await exec(join(bridge(), "bin", "capstan-getter"), ["", "", "", "s3://b/k"], {
      ...helmPluginEnv("capstan-getter"),
      CAPSTAN_BRIDGE_PLUGINS: helm.plugins,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      `error: no getter plugin in ${helm.plugins} serves s3://b/k\nhint: install one there: CAPSTAN_PLUGINS=${helm.plugins} capstan plugin install <getter plugin>\n`,
    );
    expect(r.stdout.length).toBe(0);
  });

  test("a bridge reached through another bridge stops with a loop error", async () => {
    const r = await exec(join(bridge(), "bin", "capstan-getter"), ["", "", "", "s3://b/k"], {
      ...helmPluginEnv("capstan-getter"),
      CAPSTAN_HELM3_BRIDGE: "s3://b/k",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: the Helm 3 bridge was reached again for s3:\/\/b\/k/);
  });

  test("wrong argument count and missing capstan are clear errors", async () => {
    const usage = await exec(
      join(bridge(), "bin", "capstan-getter"),
      ["s3://b/k"],
      helmPluginEnv("capstan-getter"),
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: .*capstan-getter certFile keyFile caFile href/);
    const dest = join(home.root, "helm-lost");
    const gen = await capstan(home, [
      "helm3",
      "downloader-plugin",
      "--protocols",
      "s3",
      "-d",
      dest,
      "--capstan",
      "/nope/capstan",
    ]);
    expect(gen.code).toBe(0);
    const r = await exec(join(dest, "capstan-getter", "bin", "capstan-getter"), ["", "", "", "s3://b/k"], {
      ...helmPluginEnv("capstan-getter"),
      HELM_PLUGIN_DIR: join(dest, "capstan-getter"),
    });
    expect(r.code).toBe(127);
    expect(r.stderr).toContain("hint: install capstan (npm install -g @capstan/cli) or set CAPSTAN_BIN");
  });

  test("generator refusals: existing dir, http, nothing to serve", async () => {
    const again = await capstan(home, ["helm3", "downloader-plugin", "-d", helm.plugins]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force to replace it/);
    const http = await capstan(home, [
      "helm3",
      "downloader-plugin",
      "--protocols",
      "https",
      "-d",
      join(home.root, "x"),
    ]);
    expect(http.code).toBe(2);
    const empty = makeHome();
    try {
      const none = await capstan(empty, ["helm3", "downloader-plugin", "-d", empty.root]);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/no getter plugins in .* and no --protocols given\nhint: /);
      expect(existsSync(join(empty.root, "capstan-getter"))).toBe(false);
    } finally {
      empty.remove();
    }
    rmSync(join(home.root, "x"), { recursive: true, force: true });
  });
});

describe("Helm 4 subprocess post-renderer plugin (Helm 4.2 sends Wasm post-renderers no manifests)", () => {
  const helm4 = () => join(home.root, "helm4-plugins");

  test("capstan helm4 post-renderer-plugin writes a v1 subprocess postrenderer plugin", async () => {
    const r = await capstan(home, [
      "helm4",
      "post-renderer-plugin",
      "wpr",
      "show-args",
      "-d",
      helm4(),
      "--",
      "--label",
      "a=b",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("helm install NAME CHART --post-renderer capstan-wpr");
    const list = await capstan(home, ["plugin", "list"], { env: { CAPSTAN_PLUGINS: helm4() } });
    expect(list.stdout).toMatch(/capstan-wpr\s+0\.1\.0\s+postrenderer\/v1\s+v1/);
  });

  test("Helm 4's exec: $HELM_PLUGIN_DIR/bin/capstan-postrender <args>, manifests on stdin", async () => {
    const dir = join(helm4(), "capstan-wpr");
    const env = {
      ...userEnv(),
      HELM_PLUGIN_NAME: "capstan-wpr",
      HELM_PLUGIN_DIR: dir,
      HELM_PLUGINS: helm4(),
    };
    const r = await exec(join(dir, "bin", "capstan-postrender"), ["--x"], env, "kind: A\n");
    expect(r.stderr).toBe("");
    expect(r.stdout.toString()).toBe("# args: [--label] [a=b] [--x]\n# post-rendered by wasm\nkind: A\n");
  });

  test("the plugin runs as a subprocess post-renderer (Capstan's runtime, Helm 4's contract)", async () => {
    const r = await capstan(home, ["postrender", "capstan-wpr", "--", "--y"], {
      input: "kind: B\n",
      env: { CAPSTAN_PLUGINS: helm4() },
    });
    expect(r).toEqual({
      code: 0,
      stdout: "# args: [--label] [a=b] [--y]\n# post-rendered by wasm\nkind: B\n",
      stderr: "",
    });
  });

  test("refuses a name equal to a plugin it runs, and an existing directory", async () => {
    const same = await capstan(home, [
      "helm4",
      "post-renderer-plugin",
      "wpr",
      "--name",
      "wpr",
      "-d",
      helm4(),
    ]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('"wpr" is also a plugin it runs');
    const again = await capstan(home, ["helm4", "post-renderer-plugin", "wpr", "-d", helm4()]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force to replace it/);
  });
});

describe("Helm 3 cli plugin", () => {
  const dir = (n: string) => join(helm.plugins, n);

  test("capstan helm3 cli-plugin writes a Helm 3 plugin with the Wasm plugin's help", async () => {
    const r = await capstan(home, ["helm3", "cli-plugin", "wcli", "-d", helm.plugins]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const yaml = readFileSync(join(dir("wcli"), "plugin.yaml"), "utf8");
    expect(yaml).toContain('usage: "echoes: its input"\n');
    expect(yaml).toContain('command: "$HELM_PLUGIN_DIR/bin/capstan-run"\n');
    const list = await capstan(home, ["plugin", "list"], { env: { CAPSTAN_PLUGINS: helm.plugins } });
    expect(list.stdout).toMatch(/wcli\s+0\.1\.0\s+cli\/v1\s+legacy/);
  });

  test("Helm 3's exec: $HELM_PLUGIN_DIR/bin/capstan-run ARGS runs the Wasm plugin; exit codes pass through", async () => {
    const r = await exec(join(dir("wcli"), "bin", "capstan-run"), ["a", "b c"], helmPluginEnv("wcli"));
    expect(r.stderr).toBe("");
    expect(r.stdout.toString()).toBe('wasm cli got: {"extraArgs":["a","b c"]}\n');
    expect(r.code).toBe(0);
    await capstan(home, ["helm3", "cli-plugin", "wexit", "-d", helm.plugins]);
    expect((await exec(join(dir("wexit"), "bin", "capstan-run"), [], helmPluginEnv("wexit"))).code).toBe(5);
  });

  test("a bridge that finds itself stops (plugin home = Helm's plugin dir); a missing plugin is named", async () => {
    const loop = await exec(join(dir("wcli"), "bin", "capstan-run"), [], {
      ...helmPluginEnv("wcli"),
      CAPSTAN_BRIDGE_PLUGINS: helm.plugins,
    });
    expect(loop.code).toBe(1);
    expect(loop.stderr).toMatch(/^error: the Helm 3 bridge for "wcli" was reached again/);
    const gen = await capstan(home, ["helm3", "cli-plugin", "gone", "-d", helm.plugins]);
    expect(gen.stderr).toContain('warning: no cli plugin "gone"');
    const r = await exec(join(dir("gone"), "bin", "capstan-run"), [], helmPluginEnv("gone"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: unknown command "gone" \(no built-in command or cli plugin has that name\)\nhint: /,
    );
  });
});
