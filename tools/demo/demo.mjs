#!/usr/bin/env node
// `npm run demo` (after `turbo run build`): installs plugins into a temporary plugin home by
// copying them, then runs each through the built `capstan` command with readable output:
// Wasm (extism/v1) cli, getter and post-renderer plugins, Helm 3 (legacy) sh plugins, and
// the example plugins from plugins-examples/ when they are built: packaged, signed, served,
// installed with verification and used (samples-demo.mjs). Exits non-zero when a step
// does not behave as shown, so CI can run it.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runShown, samplesDemo } from "./samples-demo.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(root, "packages", "cli");
const bin = join(cli, "bin", "capstan.cjs");
if (!existsSync(join(cli, "dist", "capstan.cjs"))) {
  console.error(
    "demo: packages/cli is not built; run `npm run build` (or `npm run demo`, which builds first)",
  );
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), "capstan-demo-"));
const plugins = join(home, "plugins");
const work = join(home, "work");
mkdirSync(plugins);
mkdirSync(work);
const env = {
  PATH: process.env.PATH,
  HOME: home,
  CAPSTAN_PLUGINS: plugins,
  XDG_CACHE_HOME: join(home, ".cache"),
};
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let failures = 0;

function section(title) {
  console.log(`\n${bold(`== ${title}`)}`);
}

/** Runs `capstan args` and prints it like a terminal session, with its time; checks the exit code. */
function capstan(args, { input, expectCode = 0, show = true, env: extra = {} } = {}) {
  const shown = args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ");
  const t = performance.now();
  // PWD as a shell sets it: plugins that may read files resolve relative paths with it.
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...env, PWD: work, ...extra },
    cwd: work,
    input,
    encoding: "utf8",
  });
  const ms = performance.now() - t;
  console.log(
    `${bold("$")} ${input !== undefined ? "... | " : ""}capstan ${shown.replaceAll(home, "$DEMO")}  (${ms.toFixed(0)} ms)`,
  );
  const out = `${r.stdout}${r.stderr}`.replaceAll(home, "$DEMO");
  if (show && out.trim()) console.log(out.replace(/\n$/, "").replace(/^/gm, "  "));
  if (r.status !== expectCode) {
    failures++;
    console.log(`  !! exit code ${r.status}, expected ${expectCode}`);
  } else if (expectCode !== 0) {
    console.log(`  (exit code ${r.status}, as expected)`);
  }
  return r;
}

/** "Installs" a plugin: copies its directory (or writes its files) into the plugin home. */
function install(name, files) {
  const dir = join(plugins, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(dir, file), content);
    if (file.endsWith(".sh")) chmodSync(join(dir, file), 0o755);
  }
}

/** Wasm test plugins from packages/cli/test/fixtures/wat, assembled with wabt. */
async function wat(name) {
  const wabt = await createRequire(join(cli, "package.json"))("wabt")();
  const dir = join(cli, "test", "fixtures", "wat");
  const text = readFileSync(join(dir, `${name}.wat`), "utf8").replace(
    ";; @include common",
    readFileSync(join(dir, "common.inc.wat"), "utf8"),
  );
  const mod = wabt.parseWat(`${name}.wat`, text, { bulk_memory: true });
  try {
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

try {
  section("Install plugins (copied into a temporary plugin home, $CAPSTAN_PLUGINS)");
  const v1 = (name, type, extra = "") =>
    `apiVersion: v1\nname: ${name}\nversion: 0.1.0\ntype: ${type}\nruntime: extism/v1\n${extra}`;
  install("hello-wasm", {
    "plugin.yaml": v1(
      "hello-wasm",
      "cli/v1",
      "config:\n  shortHelp: prints the message it gets from the host\n",
    ),
    "plugin.wasm": await wat("cli"),
  });
  install("echo-getter", {
    "plugin.yaml": v1("echo-getter", "getter/v1", "config:\n  protocols: [echo]\n"),
    "plugin.wasm": await wat("getter"),
  });
  install("stamp", {
    "plugin.yaml": v1("stamp", "postrenderer/v1"),
    "plugin.wasm": await wat("postrenderer"),
  });
  // Helm 3 plugins, unchanged: a cli plugin and a downloader, in sh.
  install("hello-sh", {
    "plugin.yaml":
      'name: hello-sh\nversion: 1.0.0\nusage: "a Helm 3 plugin in sh"\ncommand: "$HELM_PLUGIN_DIR/hello.sh"\n',
    "hello.sh": '#!/bin/sh\necho "hello from $HELM_PLUGIN_NAME (namespace $HELM_NAMESPACE), args: $*"\n',
  });
  install("file-get", {
    "plugin.yaml":
      "name: file-get\nversion: 1.0.0\ndownloaders:\n  - protocols: [file]\n    command: get.sh\n",
    "get.sh":
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      '#!/bin/sh\n# Helm 3 downloader contract: certFile keyFile caFile href; content on stdout.\ncat "${4#file://}"\n',
  });
  install("team-label", {
    "plugin.yaml":
      "apiVersion: v1\nname: team-label\nversion: 1.0.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: sed\n      args: ['s/^  name: \\(.*\\)/  name: \\1\\n  labels: {team: payments}/']\n",
  });
  capstan(["plugin", "list"]);

  section("cli plugins: `capstan <plugin> [args]` (help lists them)");
  const help = capstan(["--help"], { show: false });
  console.log(help.stdout.slice(help.stdout.indexOf("Plugins")).replace(/^/gm, "  ").trimEnd());
  capstan(["hello-wasm", "some", "args", "-n", "demo"]);
  capstan(["hello-sh", "some", "args", "-n", "demo"]);

  section("getter plugins: `capstan pull <href>` picks the plugin by URL scheme");
  capstan(["pull", "echo://bucket/app-1.0.0.tgz", "-o", "-", "--version", "1.0.0"]);
  writeFileSync(join(work, "chart.txt"), "pretend this is a chart archive\n");
  capstan(["pull", `file://${join(work, "chart.txt")}`, "-o", "-"]);
  capstan(["pull", "gs://bucket/chart.tgz"], { expectCode: 4 });

  section("post-renderers: `capstan postrender <plugin>...` chains them in order");
  const manifests = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: blue\n";
  capstan(["postrender", "team-label", "stamp"], { input: manifests });
  console.log(
    "  As Helm 3's post-renderer:  helm install web ./chart --post-renderer capstan \\\n" +
      "    --post-renderer-args postrender --post-renderer-args team-label",
  );

  // The example plugins from plugins-examples/ (TypeScript compiled to Wasm), the way they
  // reach users: packaged, signed, served, installed with verification (samples-demo.mjs).
  await samplesDemo({
    root,
    home,
    work,
    env,
    capstan,
    section,
    run: (cmd, args, shownAs) => {
      const r = runShown(cmd, args, shownAs, { env, cwd: work, home, bold });
      if (r.status !== 0) failures++;
      return r;
    },
  });

  section("errors: one line, a hint, and a documented exit code");
  capstan(["no-such-plugin"], { expectCode: 2 });
  install("broken", { "plugin.yaml": "name: broken\nversion: 1.0\n" });
  capstan(["broken"], { expectCode: 3 });
} finally {
  rmSync(home, { recursive: true, force: true });
}
console.log(
  failures === 0 ? `\n${bold("demo: all steps behaved as shown")}` : `\ndemo: ${failures} step(s) failed`,
);
process.exit(failures === 0 ? 0 : 1);
