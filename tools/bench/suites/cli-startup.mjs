// Whole-process start-up of the `capstan` CLI, next to `node -e 0` measured in the same run.
// The plugin users run is a TypeScript one: the suite creates it with the scaffold
// (`capstan plugin create --type cli hello`) and builds it with `capstan plugin build`, then
// times `capstan hello world` (target <= 1.3x `node -e 0`). The hand-written WAT fixture
// (prints its input; no QuickJS) stays as the floor of a Wasm call; a legacy sh plugin and
// `capstan plugin list` are the other rows. Every command is interleaved with the others.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildHello } from "../hello-plugin.mjs";

export const name = "cli-startup";

/** CPU ms (user+sys) used by reaped children so far, from /proc (Linux); undefined elsewhere. */
function childrenCpuMs() {
  try {
    // Fields after the command name: cutime and cstime are the 14th and 15th (clock ticks).
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Average CPU ms per run of a command (CPU time is steadier than wall time on a busy machine). */
function cpuPerRun(cmd, args, env, runs = 20) {
  const before = childrenCpuMs();
  if (before === undefined) return undefined;
  for (let i = 0; i < runs; i++) spawnSync(cmd, args, { env, stdio: "ignore" });
  return (childrenCpuMs() - before) / runs;
}

/** Assembles the CLI test fixture cli.wat (prints its input, returns {}) with wabt. */
async function cliWasm(root) {
  const cli = join(root, "packages", "cli");
  const require = createRequire(join(cli, "package.json"));
  const wabt = await require("wabt")();
  const dir = join(cli, "test", "fixtures", "wat");
  const text = readFileSync(join(dir, "cli.wat"), "utf8").replace(
    ";; @include common",
    readFileSync(join(dir, "common.inc.wat"), "utf8"),
  );
  const mod = wabt.parseWat("cli.wat", text, { bulk_memory: true });
  const bytes = mod.toBinary({}).buffer;
  mod.destroy();
  return bytes;
}

export async function run({ root, timeCommand }) {
  const bin = join(root, "packages", "cli", "bin", "capstan.cjs");
  const home = mkdtempSync(join(tmpdir(), "capstan-bench-"));
  const plugins = join(home, "plugins");
  try {
    const hello = buildHello(root, home);
    mkdirSync(join(plugins, "hello"), { recursive: true });
    for (const f of ["plugin.yaml", "plugin.wasm"]) copyFileSync(join(hello, f), join(plugins, "hello", f));
    mkdirSync(join(plugins, "hello-wasm"), { recursive: true });
    writeFileSync(
      join(plugins, "hello-wasm", "plugin.yaml"),
      "apiVersion: v1\nname: hello-wasm\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n",
    );
    writeFileSync(join(plugins, "hello-wasm", "plugin.wasm"), await cliWasm(root));
    mkdirSync(join(plugins, "hello-sh"));
    writeFileSync(
      join(plugins, "hello-sh", "plugin.yaml"),
      'name: hello-sh\nversion: 0.1.0\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n',
    );
    writeFileSync(join(plugins, "hello-sh", "run.sh"), "#!/bin/sh\necho hello\n");
    chmodSync(join(plugins, "hello-sh", "run.sh"), 0o755);
    const env = { PATH: process.env.PATH, HOME: home, CAPSTAN_PLUGINS: plugins };
    const node = process.execPath;
    // Interleave the measurements so machine noise hits all of them alike.
    const samples = { base: [], hello: [], list: [], wasm: [], sh: [] };
    for (let round = 0; round < 5; round++) {
      samples.base.push(timeCommand(node, ["-e", "0"], { runs: 5, env }));
      samples.hello.push(timeCommand(node, [bin, "hello", "world"], { runs: 5, env }));
      samples.list.push(timeCommand(node, [bin, "plugin", "list"], { runs: 5, env }));
      samples.wasm.push(timeCommand(node, [bin, "hello-wasm"], { runs: 5, env }));
      samples.sh.push(timeCommand(node, [bin, "hello-sh"], { runs: 5, env }));
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const base = med(samples.base);
    const row = (benchmark, xs, target) => ({
      benchmark,
      value: med(xs),
      unit: "ms",
      baseline: "node -e 0",
      baselineValue: base,
      ...(target ? { target } : {}),
    });
    const rows = [
      { benchmark: "node -e 0", value: base, unit: "ms" },
      row("capstan hello world (TypeScript plugin from the scaffold)", samples.hello, "<= 1.3x node -e 0"),
      row("capstan <WAT cli fixture> (floor of a Wasm call)", samples.wasm),
      row("capstan plugin list (3 plugins)", samples.list),
      row("capstan <legacy sh plugin>", samples.sh),
    ];
    const cpuBase = cpuPerRun(node, ["-e", "0"], env);
    if (cpuBase !== undefined) {
      const cpu = (benchmark, args) => ({
        benchmark: `CPU time: ${benchmark}`,
        value: cpuPerRun(node, args, env),
        unit: "ms",
        baseline: "CPU time: node -e 0",
        baselineValue: cpuBase,
      });
      rows.push(
        cpu("capstan hello world (TypeScript plugin)", [bin, "hello", "world"]),
        cpu("capstan <WAT cli fixture>", [bin, "hello-wasm"]),
        cpu("capstan <legacy sh plugin>", [bin, "hello-sh"]),
      );
    }
    rows.push({
      benchmark: "hello plugin.wasm size (scaffold, capstan plugin build)",
      value: statSync(join(hello, "plugin.wasm")).size / 1024,
      unit: "KB",
      target: "<= 1024 KB",
    });
    return rows;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
