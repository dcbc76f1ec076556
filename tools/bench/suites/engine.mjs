// Engine + compiler: compile time and size of a hello plugin, instance + first call from a
// cached Module, steady call, and JSON / YAML work inside the plugin next to the same code in
// plain Node. Needs the built packages (npx pnpm@9.15.9 build).
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { jsonDoc } from "../json-doc.mjs";

export const name = "engine";

const PLUGIN = `
import { parseAllDocuments, stringify } from "yaml";
declare const Host: { inputString(): string; outputString(s: string): void };
export function hello(): number { Host.outputString("Hello, " + Host.inputString() + "!"); return 0; }
export function noop(): number { return 0; }
export function json(): number { Host.outputString(JSON.stringify(JSON.parse(Host.inputString()))); return 0; }
export function yaml(): number {
  const docs = parseAllDocuments(Host.inputString()).map((d) => d.toJS());
  for (const d of docs) { d.metadata = d.metadata || {}; d.metadata.labels = { ...(d.metadata.labels || {}), bench: "yes" }; }
  Host.outputString(docs.map((d) => stringify(d)).join("---\\n"));
  return 0;
}
`;
const IFACE = `declare module "main" {
  export function yaml(): I32;
  export function json(): I32;
  export function noop(): I32;
  export function hello(): I32;
}
`;
const HELLO = `declare const Host: { inputString(): string; outputString(s: string): void };
export function helm_plugin_main(): number { Host.outputString("Hello, " + Host.inputString() + "!"); return 0; }
`;

function yamlManifests(bytes) {
  const docs = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const d = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  labels:\n    app: app-${i}\nspec:\n  replicas: ${i % 5}\n  template:\n    spec:\n      containers:\n        - name: c\n          image: "registry.example/app:${i}"\n          args: ["--port", "80${i % 10}"]\n          env:\n            - name: MODE\n              value: production\n`;
    size += d.length + 4;
    docs.push(d);
  }
  return docs.join("---\n");
}

export async function run({ root, median, timeFn }) {
  const compilerDir = join(root, "packages/compiler");
  const req = createRequire(join(compilerDir, "package.json"));
  const { compile } = await import(pathToFileURL(join(compilerDir, "dist/index.js")).href);
  const extism = await import(pathToFileURL(req.resolve("@extism/extism")).href);
  const createPlugin = extism.createPlugin ?? extism.default?.createPlugin ?? extism.default;
  const yamlLib = await import(pathToFileURL(req.resolve("yaml")).href);
  const work = join(compilerDir, ".cache/bench");
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "bench.ts"), PLUGIN);
  writeFileSync(join(work, "bench.d.ts"), IFACE);
  writeFileSync(join(work, "hello.ts"), HELLO);
  const rows = [];

  // Compile time and size of a hello plugin (median of 3).
  const times = [];
  let hello;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    hello = await compile({ entry: join(work, "hello.ts") });
    times.push(performance.now() - t);
  }
  rows.push({ benchmark: "compile hello plugin", value: median(times), unit: "ms", target: "<= 3000 ms" });
  rows.push({
    benchmark: "hello plugin.wasm size",
    value: hello.wasm.length / 1024,
    unit: "KB",
    target: "<= 1229 KB (1.2 MB)",
  });

  const helloModule = await WebAssembly.compile(hello.wasm);
  const first = await timeFn(
    async () => {
      const p = await createPlugin(helloModule, { useWasi: true });
      await p.call("helm_plugin_main", "bench");
      await p.close();
    },
    { runs: 30, warmup: 5 },
  );
  rows.push({
    benchmark: "new instance + first call (cached Module)",
    value: first,
    unit: "ms",
    target: "<= 2 ms",
  });

  const bench = await compile({
    entry: join(work, "bench.ts"),
    interfaceFile: join(work, "bench.d.ts"),
    skipOpt: true,
  });
  const mod = await WebAssembly.compile(bench.wasm);
  const p = await createPlugin(mod, { useWasi: true });
  const steady = await timeFn(() => p.call("noop", ""), { runs: 300, warmup: 20 });
  rows.push({ benchmark: "steady trivial call (in-process)", value: steady, unit: "ms" });

  const json = jsonDoc(1 << 20);
  const nodeJson = await timeFn(() => JSON.stringify(JSON.parse(json)), { runs: 10, warmup: 2 });
  const wasmJson = await timeFn(
    async () => {
      await p.call("json", json);
      await p.reset();
    },
    { runs: 10, warmup: 2 },
  );
  rows.push({
    benchmark: "1 MB JSON parse+stringify round trip",
    value: wasmJson,
    unit: "ms",
    baseline: "plain Node",
    baselineValue: nodeJson,
    target: "<= 4x Node",
  });

  // The cost of moving bytes alone: echo 1 MB through the kernel (u64 host calls).
  const ioOnly = await timeFn(
    async () => {
      await p.call("hello", json);
      await p.reset();
    },
    { runs: 10, warmup: 2 },
  );
  rows.push({
    benchmark: "1 MB in + 1 MB out through the kernel ABI (hello on 1 MB)",
    value: ioOnly,
    unit: "ms",
  });

  const yamlText = yamlManifests(5 << 20);
  const nodeYaml = await timeFn(
    () => {
      const docs = yamlLib.parseAllDocuments(yamlText).map((d) => d.toJS());
      for (const d of docs) {
        d.metadata = d.metadata || {};
        d.metadata.labels = { ...(d.metadata.labels || {}), bench: "yes" };
      }
      return docs.map((d) => yamlLib.stringify(d)).join("---\n");
    },
    { runs: 1, warmup: 0 },
  );
  const yp = await createPlugin(mod, {
    useWasi: true,
    config: { "capstan.timeout_ms": "600000", "capstan.memory_mb": "2048" },
  });
  const wasmYaml = await timeFn(
    async () => {
      await yp.call("yaml", yamlText);
      await yp.reset();
    },
    { runs: 1, warmup: 0 },
  );
  rows.push({
    benchmark: "YAML multi-document transform, 5 MB of manifests",
    value: wasmYaml,
    unit: "ms",
    baseline: "plain Node",
    baselineValue: nodeYaml,
  });
  await yp.close();
  await p.close();
  return rows;
}
