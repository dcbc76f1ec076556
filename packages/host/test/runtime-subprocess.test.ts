import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "@jest/globals";
import { resolveSettings } from "../src/helm-env.js";
import { runHook, runProcess, SubprocessRuntime } from "../src/runtime-subprocess.js";
import { alive, cmd, subprocessPlugin, tempDir } from "./subprocess-helpers.js";

const root = tempDir();
afterAll(() => rmSync(root, { recursive: true, force: true }));
const settings = resolveSettings(
  { HOME: root, CAPSTAN_PLUGINS: `${root}:/other` },
  { bin: "/usr/local/bin/capstan", namespace: "ns1", kubeContext: "ctx1", debug: true },
);

test("plugins see Helm's environment variables", async () => {
  const p = subprocessPlugin(root, "envy", {
    scripts: { "run.sh": "env | grep -E '^(HELM_|KUBECONFIG)' | sort" },
    platformCommand: [cmd("$HELM_PLUGIN_DIR/run.sh")],
  });
  const r = await new SubprocessRuntime(p, { settings, env: { PATH: process.env.PATH } }).run([], {});
  const env = Object.fromEntries(
    r.stdout
      .toString()
      .trim()
      .split("\n")
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  expect(env).toMatchObject({
    HELM_PLUGIN_NAME: "envy",
    HELM_PLUGIN_DIR: p.dir,
    HELM_BIN: "/usr/local/bin/capstan",
    HELM_PLUGINS: `${root}:/other`,
    HELM_DATA_HOME: join(root, ".local/share/capstan"),
    HELM_CONFIG_HOME: join(root, ".config/capstan"),
    HELM_CACHE_HOME: join(root, ".cache/capstan"),
    HELM_DEBUG: "true",
    HELM_NAMESPACE: "ns1",
    HELM_KUBECONTEXT: "ctx1",
  });
});

test("command and args are expanded from the plugin environment; extra args are passed verbatim", async () => {
  const p = subprocessPlugin(root, "echoer", {
    scripts: { "echo.sh": 'for a in "$@"; do echo "[$a]"; done' },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, as in plugin.yaml
    platformCommand: [{ command: "${HELM_PLUGIN_DIR}/echo.sh $HELM_PLUGIN_NAME", args: ["$HELM_NAMESPACE"] }],
  });
  const r = await new SubprocessRuntime(p, { settings, env: {} }).run(["$HOME", "a b"], {});
  expect(r.stdout.toString()).toBe("[echoer]\n[ns1]\n[$HOME]\n[a b]\n");
});

test("the exit code is passed through; a signal maps to 128+n", async () => {
  const p = subprocessPlugin(root, "exiter", {
    scripts: { "x.sh": 'if [ "$1" = kill ]; then kill -TERM $$; fi; exit "$1"' },
    platformCommand: [cmd("$HELM_PLUGIN_DIR/x.sh")],
  });
  const rt = new SubprocessRuntime(p, { settings, env: {} });
  expect((await rt.run(["0"], {})).exitCode).toBe(0);
  expect((await rt.run(["3"], {})).exitCode).toBe(3);
  const killed = await rt.run(["kill"], {});
  expect(killed.signal).toBe("SIGTERM");
  expect(killed.exitCode).toBe(128 + 15);
});

test("stdin bytes reach the plugin; stderr can be captured", async () => {
  const p = subprocessPlugin(root, "cat", {
    scripts: { "cat.sh": "tr a-z A-Z; echo oops >&2" },
    platformCommand: [cmd("$HELM_PLUGIN_DIR/cat.sh")],
  });
  const r = await new SubprocessRuntime(p, { settings, env: { PATH: process.env.PATH } }).run([], {
    stdin: "kind: x\n",
    stderr: "pipe",
  });
  expect(r.stdout.toString()).toBe("KIND: X\n");
  expect(r.stderr.toString()).toBe("oops\n");
});

test("a missing command is a clear plugin error", async () => {
  const p = subprocessPlugin(root, "ghost", { platformCommand: [cmd("$HELM_PLUGIN_DIR/nope")] });
  await expect(new SubprocessRuntime(p, { settings, env: {} }).run([], {})).rejects.toMatchObject({
    code: "plugin-error",
    exitCode: 6,
    message: expect.stringContaining(`plugin "ghost": command "${p.dir}/nope" not found`),
  });
  const none = subprocessPlugin(root, "none", { platformCommand: [{ os: "plan9", command: "x", args: [] }] });
  expect(() => new SubprocessRuntime(none, { settings, env: {} }).prepareMain([])).toThrow(
    /no command for this platform/,
  );
});

test("timeout kills the whole process group, grandchild included", async () => {
  const pidFile = join(root, "grandchild.pid");
  const p = subprocessPlugin(root, "hang", {
    // The grandchild ignores SIGTERM: only the group SIGKILL ends it.
    // The sleeps outlast jest's test timeout: only the deadline's kill ends this run.
    scripts: { "hang.sh": `sh -c 'trap "" TERM; echo $$ > ${pidFile}; sleep 600' &\nsleep 600` },
    platformCommand: [cmd("$HELM_PLUGIN_DIR/hang.sh")],
  });
  await expect(
    new SubprocessRuntime(p, { settings, env: { PATH: process.env.PATH }, timeoutMs: 400 }).run([], {}),
  ).rejects.toMatchObject({ code: "timeout", exitCode: 7 });
  const grandchild = Number(readFileSync(pidFile, "utf8"));
  // SIGKILL is delivered asynchronously: wait (bounded by jest's timeout) for the pid to go.
  while (alive(grandchild)) await new Promise((r) => setTimeout(r, 20));
  expect(alive(grandchild)).toBe(false);
});

test("runProcess without a timeout returns even when a grandchild keeps stdout open", async () => {
  const pidFile = join(root, "stdout-holder.pid");
  // The grandchild holds stdout for longer than jest's test timeout; it is still running when
  // runProcess returns, so the return cannot have waited for stdout to close.
  const r = await runProcess(
    { command: "sh", args: ["-c", `(sleep 600 & echo $! > ${pidFile}) ; echo done`] },
    { env: { PATH: process.env.PATH ?? "" } },
  );
  expect(r.stdout.toString()).toBe("done\n");
  const holder = Number(readFileSync(pidFile, "utf8"));
  expect(alive(holder)).toBe(true);
  process.kill(holder, "SIGKILL");
});

test("hooks: string hooks run with sh -c, platform hooks are expanded, failures throw", async () => {
  const p = subprocessPlugin(root, "hooked", {
    platformHooks: {
      install: [cmd("sh", ["-c", 'echo "installed $HELM_PLUGIN_NAME" > "$HELM_PLUGIN_DIR/marker"'])],
      update: [cmd("$HELM_PLUGIN_DIR/up.sh", ["$HELM_PLUGIN_NAME"])],
      delete: [cmd("sh", ["-c", "echo bad hook >&2; exit 4"])],
    },
    scripts: { "up.sh": 'echo "updated $1" > "$HELM_PLUGIN_DIR/marker"' },
  });
  const opts = {
    settings,
    env: { PATH: process.env.PATH },
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  };
  expect(await runHook(p, "install", opts)).toBe(true);
  expect(readFileSync(join(p.dir, "marker"), "utf8")).toBe("installed hooked\n");
  expect(await runHook(p, "update", opts)).toBe(true);
  expect(readFileSync(join(p.dir, "marker"), "utf8")).toBe("updated hooked\n");
  await expect(runHook(p, "delete", opts)).rejects.toThrow(
    /delete hook of plugin "hooked" failed with exit code 4: bad hook/,
  );
  const bare = subprocessPlugin(root, "bare", {});
  expect(await runHook(bare, "install", opts)).toBe(false);
  const wasm = {
    ...bare,
    manifest: { ...bare.manifest, runtime: "extism/v1" as const, subprocess: undefined },
  };
  expect(await runHook(wasm, "install", opts)).toBe(false);
  expect(existsSync(join(bare.dir, "marker"))).toBe(false);
});

test("getter commands run as <cmd> certFile keyFile caFile href, relative to the plugin dir", async () => {
  const p = subprocessPlugin(
    root,
    "dl",
    {
      scripts: { "get.sh": 'echo "$# $1|$2|$3|$4"' },
      protocolCommands: [{ protocols: ["s3", "GS"], platformCommand: [cmd("get.sh")] }],
    },
    { type: "getter/v1", getter: { protocols: ["s3", "GS"] } },
  );
  const rt = new SubprocessRuntime(p, { settings, env: {} });
  // Schemes compare case-insensitively, as in findGetter: a plugin listing "GS" serves gs://.
  const prepared = rt.prepareGetter("gs", { certFile: "c", keyFile: "k", caFile: "" }, "gs://b/x");
  expect(prepared.command).toBe(join(p.dir, "get.sh"));
  const r = await runProcess(prepared, { env: rt.env });
  expect(r.stdout.toString()).toBe("4 c|k||gs://b/x\n");
  expect(() => rt.prepareGetter("ftp", { certFile: "", keyFile: "", caFile: "" }, "ftp://x")).toThrow(
    /protocol "ftp"/,
  );
});
