// TAB latency: the wall time of `capstan __complete` (what a completion script runs on each
// TAB press) next to `capstan version` and `node -e 0` measured in the same run, interleaved,
// against a plugin home of 3 plugins (a TypeScript-free home: discovery reads plugin.yaml files).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const name = "completion";

export async function run({ root, timeInterleaved }) {
  const bin = join(root, "packages", "cli", "bin", "capstan.cjs");
  const home = mkdtempSync(join(tmpdir(), "capstan-bench-complete-"));
  const plugins = join(home, "plugins");
  try {
    const plugin = (dir, yaml) => {
      mkdirSync(join(plugins, dir), { recursive: true });
      writeFileSync(join(plugins, dir, "plugin.yaml"), yaml);
    };
    plugin("hello", 'name: hello\nversion: 0.1.0\nusage: "say hello"\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n');
    plugin(
      "upper",
      "apiVersion: v1\nname: upper\nversion: 1.2.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: tr\n",
    );
    plugin("s3", "name: s3\nversion: 2.0.0\ndownloaders:\n  - protocols: [s3]\n    command: get.sh\n");
    const env = { PATH: process.env.PATH, HOME: home, CAPSTAN_PLUGINS: plugins };
    const node = process.execPath;
    const c = (args) => ({ cmd: node, args, opts: { env } });
    const t = timeInterleaved(
      {
        base: c(["-e", "0"]),
        version: c([bin, "version"]),
        top: c([bin, "__complete", ""]),
        uninstall: c([bin, "__complete", "plugin", "uninstall", ""]),
        flags: c([bin, "__complete", "plugin", "list", "--"]),
      },
      { rounds: 7, runs: 5 },
    );
    const vs = (benchmark, value) => ({
      benchmark,
      value,
      unit: "ms",
      baseline: "capstan version",
      baselineValue: t.version,
    });
    return [
      { benchmark: "node -e 0", value: t.base, unit: "ms" },
      {
        benchmark: "capstan version",
        value: t.version,
        unit: "ms",
        baseline: "node -e 0",
        baselineValue: t.base,
      },
      vs("capstan __complete '' (commands + cli plugins)", t.top),
      vs("capstan __complete plugin uninstall '' (plugin names)", t.uninstall),
      vs("capstan __complete plugin list -- (flags)", t.flags),
    ];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
