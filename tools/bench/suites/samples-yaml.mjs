// add-labels on native YAML (@capstan/pdk/yaml, libyaml inside plugin.wasm) against a Helm 3
// style node post-renderer on the `yaml` npm package (fixtures/add-labels-yaml-npm.ts: the
// sample's transform before the native module), both as whole processes on the same input:
// 100, 2,000 and 5,000 Deployments and a ~1 MB chart. Target: <= 1.0x, and < 1 s for 1 MB.
// Rows join the "samples" suite (`node tools/bench/run.mjs samples`). Each case reports wall
// time and, on Linux, the processes' CPU time (user + system, read from /proc/self/stat for
// waited-for children), which a shared, overloaded machine distorts much less than wall time.

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
function measure(median, cmd, args, { runs, input, env = process.env }) {
  const once = () => {
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { env, input, stdio: ["pipe", "ignore", "pipe"], maxBuffer: 1 << 30 });
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    const c1 = childrenCpuMs();
    return { wall, cpu: c0 === null || c1 === null ? null : c1 - c0 };
  };
  once();
  const xs = Array.from({ length: runs }, once);
  const cpus = xs.map((x) => x.cpu);
  return { wall: median(xs.map((x) => x.wall)), cpu: cpus.includes(null) ? null : median(cpus) };
}

const chart = (n) => `---\n${Array.from({ length: n }, (_, i) => deployment(i)).join("---\n")}`;

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
    for (const [label, input] of cases) {
      const runs = input.length > 3_000_000 ? 3 : 5;
      const base = measure(median, process.execPath, [legacy, ...args], { runs, input });
      const whole = measure(median, process.execPath, [cli, "postrender", "add-labels", "--", ...args], {
        runs,
        input,
        env,
      });
      const target = label.startsWith("1 MB") ? "<= 1.0x and < 1000 ms" : "<= 1.0x";
      for (const what of ["wall", "cpu"]) {
        if (base[what] === null || whole[what] === null) continue;
        const unit = what === "wall" ? "ms" : "CPU ms";
        rows.push({
          benchmark: `add-labels ${label}: node post-renderer on the yaml package (process, ${unit})`,
          value: base[what],
          unit,
        });
        rows.push({
          benchmark: `add-labels ${label}: capstan postrender, native YAML (process, ${unit})`,
          value: whole[what],
          unit,
          baseline: "node + yaml package",
          baselineValue: base[what],
          target,
        });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
