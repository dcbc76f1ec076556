// Steady in-process call of a plugin compiled from TypeScript: what an embedder of @capstan/host
// pays per call once the module is compiled (target: median <= 0.5 ms). The plugin is the
// scaffold's "hello" built by `capstan plugin build`; every call gets a fresh instance, WASI
// context and memory, as in production. The baseline is a bare `new WebAssembly.Instance` of
// the same plugin.wasm in the same run (stub imports, its own fresh memory): the floor any
// fresh-instance design pays. Steady means after V8 has tiered the engine up: @capstan/host sets
// no V8 flags, and TurboFan's code for the QuickJS interpreter arrives after ~1,000 calls (the
// first 500 are reported as their own row, what a short-lived embedder pays). Needs `npm run
// build` first (packages' dist/).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildHello } from "../hello-plugin.mjs";

export const name = "host-call";

const FIRST = 500;
const WARMUP = 1500;
const CALLS = 1000;

/** Sorted per-call times in ms of `fn`: the first FIRST calls, then CALLS after WARMUP more. */
async function perCall(fn) {
  const first = await timed(fn, FIRST);
  for (let i = 0; i < WARMUP; i++) await fn();
  return { first, steady: await timed(fn, CALLS) };
}

async function timed(fn, n) {
  const xs = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return xs.sort((a, b) => a - b);
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/** Imports that satisfy `module` without doing anything (functions return 0). */
function stubImports(module) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.kind !== "function") throw new Error(`bench: hello imports a ${imp.kind}`);
    imports[imp.module][imp.name] = () => 0;
  }
  return imports;
}

export async function run({ root }) {
  const home = mkdtempSync(join(tmpdir(), "capstan-bench-"));
  try {
    const wasmPath = join(buildHello(root, home), "plugin.wasm");
    const host = await import(pathToFileURL(join(root, "packages", "host", "dist", "index.js")).href);
    const runtime = await host.ExtismRuntime.openModule(
      wasmPath,
      { name: "hello", entryFuncName: "helm_plugin_main", config: { greeting: "Hello" } },
      { stdio: "null" },
    );
    const input = JSON.stringify({ extraArgs: ["world"] });
    const out = JSON.parse(new TextDecoder().decode(await runtime.call(input)));
    if ((out.exitCode ?? 0) !== 0) throw new Error(`bench: hello returned ${JSON.stringify(out)}`);

    const module = new WebAssembly.Module(readFileSync(wasmPath));
    const imports = stubImports(module);
    const bare = (await perCall(() => new WebAssembly.Instance(module, imports))).steady;
    const { first, steady: call } = await perCall(() => runtime.call(input));
    await runtime.close();
    const base = {
      unit: "ms",
      baseline: "bare new WebAssembly.Instance (median)",
      baselineValue: at(bare, 0.5),
    };
    return [
      {
        benchmark: "bare new WebAssembly.Instance of hello plugin.wasm (median)",
        value: at(bare, 0.5),
        unit: "ms",
      },
      {
        benchmark: "ExtismRuntime.call of the hello plugin, fresh instance (median)",
        value: at(call, 0.5),
        ...base,
        target: "<= 0.5 ms",
      },
      {
        benchmark: "ExtismRuntime.call of the hello plugin, fresh instance (p10)",
        value: at(call, 0.1),
        ...base,
      },
      {
        benchmark: `ExtismRuntime.call of the hello plugin, first ${FIRST} calls (median, before tier-up)`,
        value: at(first, 0.5),
        ...base,
      },
    ];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
