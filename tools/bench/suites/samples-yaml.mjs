// add-labels on native YAML (@capstan/pdk/yaml, libyaml inside plugin.wasm) against a Helm 3
// style node post-renderer on the `yaml` npm package (fixtures/add-labels-yaml-npm.ts: the
// sample's transform before the native module), both as whole processes on the same input:
// 100, 2,000 and 5,000 Deployments and a ~1 MB chart. Target: <= 1.0x, and < 1 s for 1 MB.
// The diff sample (also on @capstan/pdk/yaml) runs on two 250-Deployment and two ~1 MB charts
// against its own core in a node process, where the module runs on the `yaml` package.
// Rows join the "samples" suite (`node tools/bench/run.mjs samples`). Each case reports wall
// time and, on Linux, the processes' CPU time (user + system, read from /proc/self/stat for
// waited-for children), which a shared, overloaded machine distorts much less than wall time.

import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const name = "samples";

/** A Helm-rendered Deployment much like `helm create` gives (~1 KB). */
function deployment(i) {
  return `# Source: bench/templates/deployment-${i}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  labels:
    helm.sh/chart: bench-0.1.0
    app.kubernetes.io/name: web-${i}
    app.kubernetes.io/instance: bench
    app.kubernetes.io/version: "1.16.0"
    app.kubernetes.io/managed-by: Helm
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: web-${i}
      app.kubernetes.io/instance: bench
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-${i}
        app.kubernetes.io/instance: bench
    spec:
      serviceAccountName: bench
      securityContext: {}
      containers:
        - name: web
          securityContext: {}
          image: "nginx:1.16.0"   # chart default
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 80
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /
              port: http
          readinessProbe:
            httpGet:
              path: /
              port: http
          resources:
            limits: { cpu: 100m, memory: 128Mi }
`;
}

/** CPU ms (user + system) of this process's waited-for children so far; null off Linux. */
function childrenCpuMs() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime, USER_HZ = 100
  } catch {
    return null;
  }
}

/** Medians of wall ms and CPU ms over `runs` runs of a whole command (after one warm-up). */
function measure(median, cmd, args, { runs, input, env = process.env, status = 0 }) {
  const once = () => {
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { env, input, stdio: ["pipe", "ignore", "pipe"], maxBuffer: 1 << 30 });
    const wall = performance.now() - t0;
    if (r.status !== status)
      throw new Error(`bench: ${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    const c1 = childrenCpuMs();
    return { wall, cpu: c0 === null || c1 === null ? null : c1 - c0 };
  };
  once();
  const xs = Array.from({ length: runs }, once);
  const cpus = xs.map((x) => x.cpu);
  return { wall: median(xs.map((x) => x.wall)), cpu: cpus.includes(null) ? null : median(cpus) };
}

const chart = (n) => `---\n${Array.from({ length: n }, (_, i) => deployment(i)).join("---\n")}`;

/** The same chart after an upgrade: every 10th Deployment gets another image and replica count. */
const upgraded = (n) =>
  `---\n${Array.from({ length: n }, (_, i) =>
    i % 10 === 0
      ? deployment(i).replace("nginx:1.16.0", "nginx:1.27.0").replace("replicas: 1", "replicas: 3")
      : deployment(i),
  ).join("---\n")}`;

/** Rows of one case: the baseline process, then capstan's with the ratio (wall and CPU). */
function pushRows(rows, what, baseLabel, capstanLabel, base, whole, target) {
  for (const k of ["wall", "cpu"]) {
    if (base[k] === null || whole[k] === null) continue;
    const unit = k === "wall" ? "ms" : "CPU ms";
    rows.push({ benchmark: `${what}: ${baseLabel} (process, ${unit})`, value: base[k], unit });
    rows.push({
      benchmark: `${what}: ${capstanLabel} (process, ${unit})`,
      value: whole[k],
      unit,
      baseline: "node + yaml package",
      baselineValue: base[k],
      target,
    });
  }
}

export async function run({ root, median }) {
  const rows = [];
  const wasm = join(root, "plugins-examples", "add-labels", "plugin.wasm");
  if (!existsSync(wasm))
    throw new Error("bench samples-yaml: add-labels/plugin.wasm is missing; run npm run build");
  const tmp = mkdtempSync(join(tmpdir(), "capstan-bench-yaml-"));
  try {
    const { build } = await import(
      pathToFileURL(join(root, "node_modules", "esbuild", "lib", "main.js")).href
    );
    const legacy = join(tmp, "labels-yaml-npm.mjs");
    await build({
      stdin: {
        contents: `import { parseOptions } from "./plugins-examples/add-labels/src/core/options.ts";
import { transformManifests } from "./tools/bench/fixtures/add-labels-yaml-npm.ts";
let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(transformManifests(input, parseOptions(process.argv.slice(2), () => undefined)).manifests);`,
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: legacy,
      nodePaths: [join(root, "plugins-examples", "add-labels", "node_modules")],
      // yaml's CommonJS build requires node built-ins; give the ESM bundle a require().
      banner: {
        js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
      },
      logLevel: "error",
    });
    const home = join(tmp, "plugins");
    mkdirSync(join(home, "add-labels"), { recursive: true });
    for (const f of ["plugin.yaml", "plugin.wasm"])
      copyFileSync(join(root, "plugins-examples", "add-labels", f), join(home, "add-labels", f));
    const cli = join(root, "packages", "cli", "bin", "capstan.cjs");
    const env = { PATH: process.env.PATH, HOME: tmp, CAPSTAN_PLUGINS: home };
    const args = ["--label", "team=bench", "--registry", "docker.io=mirror.local"];
    const cases = [
      ["100 Deployments", chart(100)],
      ["2,000 Deployments", chart(2000)],
      ["5,000 Deployments", chart(5000)],
    ];
    const oneMb = Math.ceil((1024 * 1024) / Buffer.byteLength(deployment(0)));
    cases.push([`1 MB chart (${oneMb} Deployments)`, chart(oneMb)]);
    // BENCH_YAML=diff (or add-labels) runs one sample's rows only.
    const only = process.env.BENCH_YAML ?? "add-labels,diff";
    for (const [label, input] of only.includes("add-labels") ? cases : []) {
      const runs = input.length > 3_000_000 ? 3 : 5;
      const base = measure(median, process.execPath, [legacy, ...args], { runs, input });
      const whole = measure(median, process.execPath, [cli, "postrender", "add-labels", "--", ...args], {
        runs,
        input,
        env,
      });
      const target = label.startsWith("1 MB") ? "<= 1.0x and < 1000 ms" : "<= 1.0x";
      pushRows(
        rows,
        `add-labels ${label}`,
        "node post-renderer on the yaml package",
        "capstan postrender, native YAML",
        base,
        whole,
        target,
      );
    }

    // diff: `capstan diff before.yaml after.yaml` (the sample on @capstan/pdk/yaml) against the
    // same core in a node process, where @capstan/pdk/yaml runs on the yaml package.
    const diffDir = join(root, "plugins-examples", "diff");
    if (!existsSync(join(diffDir, "plugin.wasm")))
      throw new Error("bench samples-yaml: diff/plugin.wasm is missing; run npm run build");
    mkdirSync(join(home, "diff"), { recursive: true });
    for (const f of ["plugin.yaml", "plugin.wasm"]) copyFileSync(join(diffDir, f), join(home, "diff", f));
    const nodeDiff = join(tmp, "diff-yaml-npm.mjs");
    await build({
      stdin: {
        contents: `import { readFileSync } from "node:fs";
import { diffSets } from "./plugins-examples/diff/src/core/diff-sets.ts";
import { parseManifestSet } from "./plugins-examples/diff/src/core/resources.ts";
const [a, b] = process.argv.slice(2);
const r = diffSets(parseManifestSet(readFileSync(a, "utf8"), a), parseManifestSet(readFileSync(b, "utf8"), b));
process.stdout.write(r.text);
process.exitCode = r.differs ? 2 : 0;`,
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: nodeDiff,
      nodePaths: [join(diffDir, "node_modules")],
      banner: {
        js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
      },
      logLevel: "error",
    });
    const diffCases = [
      ["250 Deployments", 250],
      [`1 MB charts (${oneMb} Deployments each)`, oneMb],
    ];
    for (const [label, n] of only.includes("diff") ? diffCases : []) {
      const before = join(tmp, `before-${n}.yaml`);
      const after = join(tmp, `after-${n}.yaml`);
      writeFileSync(before, chart(n));
      writeFileSync(after, upgraded(n));
      const base = measure(median, process.execPath, [nodeDiff, before, after], { runs: 5, status: 2 });
      const whole = measure(median, process.execPath, [cli, "diff", before, after], {
        runs: 5,
        env: { ...env, PWD: tmp },
        status: 2,
      });
      pushRows(
        rows,
        `diff ${label}`,
        "node diff on the yaml package",
        "capstan diff, native YAML",
        base,
        whole,
        n === oneMb ? "<= 1.0x and < 1000 ms" : "<= 1.0x",
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
