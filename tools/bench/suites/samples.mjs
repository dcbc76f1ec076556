// The sample plugins against what they replace, measured in the same run:
// - add-labels (postrenderer) on 1, 100 and 5,000 resources: the Wasm plugin called in-process
//   through @capstan/host, and as a whole `capstan postrender` process, next to the same
//   transform as in-process JS (baseline) and as a Helm 3-style subprocess post-renderer
//   (a node script reading stdin, writing stdout, using the same `yaml` package); the two
//   whole processes are measured interleaved (target for 1 Deployment: <= 1.0x).
// - plugin.wasm sizes of add-labels and diff as `capstan plugin build` makes them.
// - s3 (getter): a 10 MB object from the local S3 server (signatures checked), the Wasm getter
//   through @capstan/host next to a plain fetch of the same signed request.
// Needs `npm run build` first (packages' dist/, plugin.wasm of the samples).
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

export const name = "samples";

/** Bundles TypeScript sources into one ESM file runnable by node (esbuild from the workspace). */
async function bundleTs(root, entryCode, outFile) {
  const { build } = await import(pathToFileURL(join(root, "node_modules", "esbuild", "lib", "main.js")).href);
  await build({
    stdin: { contents: entryCode, resolveDir: root, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: outFile,
    // yaml's CommonJS build requires node built-ins; give the ESM bundle a require().
    banner: {
      js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
    },
    logLevel: "error",
  });
}

function manifestsOf(n) {
  return Array.from(
    { length: n },
    (_, i) =>
      `# Source: bench/templates/d${i}.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n`,
  ).join("---\n");
}

/** Starts plugins-examples/s3/test/local-s3.mjs in a child process; resolves to {endpoint, stop}. */
async function localS3(root) {
  const child = spawn(
    process.execPath,
    [join(root, "plugins-examples", "s3", "test", "local-s3.mjs"), "charts"],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (c) => reject(new Error(`local-s3.mjs exited with ${c}`)));
  });
  return {
    endpoint: JSON.parse(line).endpoint,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.stdin.end();
      }),
  };
}

export async function run({ root, timeFn, timeInterleaved }) {
  const rows = [];
  const examples = join(root, "plugins-examples");
  for (const p of ["add-labels", "s3", "diff"]) {
    if (!existsSync(join(examples, p, "plugin.wasm")))
      throw new Error(`bench samples: ${p}/plugin.wasm is missing; run npm run build`);
  }
  for (const [p, target] of [
    ["add-labels", 1.5],
    ["diff", 2],
  ]) {
    rows.push({
      benchmark: `${p} plugin.wasm size`,
      value: statSync(join(examples, p, "plugin.wasm")).size / 1024,
      unit: "KB",
      target: `<= ${target * 1024} KB`,
    });
  }
  const tmp = mkdtempSync(join(tmpdir(), "capstan-bench-samples-"));
  try {
    const host = await import(pathToFileURL(join(root, "packages", "host", "dist", "index.js")).href);
    const manifest = await import(pathToFileURL(join(root, "packages", "manifest", "dist", "index.js")).href);

    // The transform as plain JS (in-process baseline) and as a Helm 3 subprocess post-renderer.
    const core = join(tmp, "labels-core.mjs");
    await bundleTs(
      root,
      `export { parseOptions } from "./plugins-examples/add-labels/src/core/options.ts";
       export { transformManifests } from "./plugins-examples/add-labels/src/core/transform.ts";`,
      core,
    );
    const { parseOptions, transformManifests } = await import(pathToFileURL(core).href);
    const legacy = join(tmp, "labels-postrenderer.mjs");
    writeFileSync(
      legacy,
      `import { parseOptions, transformManifests } from ${JSON.stringify(pathToFileURL(core).href)};
let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(transformManifests(input, parseOptions(process.argv.slice(2), () => undefined)).manifests);\n`,
    );

    const home = join(tmp, "plugins");
    for (const p of ["add-labels", "s3"]) {
      mkdirSync(join(home, p), { recursive: true });
      for (const f of ["plugin.yaml", "plugin.wasm"]) copyFileSync(join(examples, p, f), join(home, p, f));
    }
    const labels = await manifest.loadManifest(join(home, "add-labels"));
    const args = ["--label", "team=bench", "--registry", "docker.io=mirror.local"];
    const cli = join(root, "packages", "cli", "bin", "capstan.cjs");
    const env = { PATH: process.env.PATH, HOME: tmp, CAPSTAN_PLUGINS: home };

    // BENCH_SAMPLES_SIZES=1,100 measures fewer sizes (the 5,000-resource rows take minutes).
    const sizes = (process.env.BENCH_SAMPLES_SIZES ?? "1,100,5000").split(",").map(Number);
    for (const n of sizes) {
      const input = manifestsOf(n);
      const big = n >= 5000;
      const opts = { runs: big ? 3 : n >= 100 ? 7 : 15, warmup: 1 };
      const js = await timeFn(
        () =>
          transformManifests(
            input,
            parseOptions(args, () => undefined),
          ),
        opts,
      );
      const label = `${n} resource${n === 1 ? "" : "s"}`;
      rows.push({ benchmark: `add-labels ${label}: in-process JS`, value: js, unit: "ms" });
      const wasm = await timeFn(() => host.invokePostrenderer(labels, input, args, { env }), opts);
      rows.push({
        benchmark: `add-labels ${label}: Wasm via @capstan/host`,
        value: wasm,
        unit: "ms",
        baseline: "in-process JS",
        baselineValue: js,
      });
      const { sub, whole } = timeInterleaved(
        {
          sub: { cmd: process.execPath, args: [legacy, ...args], opts: { input } },
          whole: {
            cmd: process.execPath,
            args: [cli, "postrender", "add-labels", "--", ...args],
            opts: { input, env },
          },
        },
        big ? { rounds: 1, runs: 2 } : { rounds: 5, runs: 3 },
      );
      rows.push({
        benchmark: `add-labels ${label}: subprocess post-renderer (node script)`,
        value: sub,
        unit: "ms",
      });
      rows.push({
        benchmark: `add-labels ${label}: capstan postrender (process)`,
        value: whole,
        unit: "ms",
        baseline: "subprocess post-renderer",
        baselineValue: sub,
        ...(n === 1 ? { target: "<= 1.0x" } : {}),
      });
    }

    // s3 getter: 10 MB through the Wasm getter vs a plain fetch of the same signed GET.
    const s3core = join(tmp, "s3-core.mjs");
    await bundleTs(
      root,
      `export { buildGet, interpretResponse, settingsFrom } from "./plugins-examples/s3/src/core/s3-request.ts";
       export { signV4 } from "./plugins-examples/s3/src/core/sigv4.ts";`,
      s3core,
    );
    const s3lib = await import(pathToFileURL(s3core).href);
    const server = await localS3(root);
    try {
      const body = new Uint8Array(randomBytes(10 * 1024 * 1024));
      const creds = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
      const putUrl = `${server.endpoint}/charts/big.tgz`;
      const { headers } = await s3lib.signV4({
        method: "PUT",
        url: putUrl,
        region: "us-east-1",
        service: "s3",
        credentials: creds,
        date: new Date(),
        payloadHash: createHash("sha256").update(body).digest("hex"),
      });
      delete headers.host;
      const put = await fetch(putUrl, { method: "PUT", headers, body });
      if (!put.ok) throw new Error(`bench samples: upload failed: ${put.status}`);
      const s3env = {
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
        AWS_ENDPOINT_URL_S3: server.endpoint,
      };
      const settings = s3lib.settingsFrom(
        () => undefined,
        (k) => s3env[k],
      );
      const plain = await timeFn(
        async () => {
          const req = await s3lib.buildGet("s3://charts/big.tgz", settings, new Date());
          const { host: _h, ...h } = req.headers;
          const res = await fetch(req.url, { headers: h });
          const got = new Uint8Array(await res.arrayBuffer());
          if (got.length !== body.length) throw new Error("bench samples: short read");
        },
        { runs: 7, warmup: 1 },
      );
      rows.push({ benchmark: "s3 10 MB: plain fetch (signed, in-process)", value: plain, unit: "ms" });
      const getter = await manifest.loadManifest(join(home, "s3"));
      const wasm = await timeFn(
        async () => {
          const got = await host.invokeGetter(getter, "s3://charts/big.tgz", {}, { env: s3env });
          if (got.length !== body.length) throw new Error("bench samples: short read");
        },
        { runs: 7, warmup: 1 },
      );
      rows.push({
        benchmark: "s3 10 MB: Wasm getter via @capstan/host",
        value: wasm,
        unit: "ms",
        baseline: "plain fetch",
        baselineValue: plain,
      });
    } finally {
      await server.stop();
    }
    host.stopHttpWorker?.();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
