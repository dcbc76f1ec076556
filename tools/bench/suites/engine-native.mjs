// Engine native data paths (issue 11): SHA-256 of 4 MiB, HMAC importKey+sign, and a 1 MB JSON
// parse+stringify (and the parse alone), each timed INSIDE a plugin compiled from TypeScript (performance.now around
// the work, so the kernel I/O is not counted) next to the same code in this Node process.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { jsonDoc } from "../json-doc.mjs";

export const name = "engine-native";

const PLUGIN = `
declare const Host: { inputBytes(): ArrayBuffer; inputString(): string; outputString(s: string): void };
const time = async (f: () => unknown) => { const t = performance.now(); await f(); return performance.now() - t; };
export async function digest(): Promise<number> {
  const data = new Uint8Array(Host.inputBytes());
  Host.outputString(String(await time(() => crypto.subtle.digest("SHA-256", data))));
  return 0;
}
export async function hmac(): Promise<number> {
  const msg = new Uint8Array(Host.inputBytes());
  const ms = await time(async () => {
    for (let i = 0; i < 1000; i++) {
      const key = await crypto.subtle.importKey("raw", msg.subarray(i % 64, (i % 64) + 32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      await crypto.subtle.sign("HMAC", key, msg);
    }
  });
  Host.outputString(String(ms));
  return 0;
}
export async function json(): Promise<number> {
  const text = Host.inputString();
  const ms = await time(() => JSON.stringify(JSON.parse(text)));
  Host.outputString(String(ms));
  return 0;
}
export async function jsonParse(): Promise<number> {
  const text = Host.inputString();
  let items = 0;
  const ms = await time(() => { items = JSON.parse(text).items.length; });
  Host.outputString(items > 0 ? String(ms) : "NaN");
  return 0;
}
`;
const IFACE = `declare module "main" {
  export function digest(): I32;
  export function hmac(): I32;
  export function json(): I32;
  export function jsonParse(): I32;
}
`;

export async function run({ root, median }) {
  const compilerDir = join(root, "packages/compiler");
  const req = createRequire(join(compilerDir, "package.json"));
  const { compile } = await import(pathToFileURL(join(compilerDir, "dist/index.js")).href);
  const extism = await import(pathToFileURL(req.resolve("@extism/extism")).href);
  const createPlugin = extism.createPlugin ?? extism.default?.createPlugin ?? extism.default;
  const work = join(compilerDir, ".cache/bench-native");
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "native.ts"), PLUGIN);
  writeFileSync(join(work, "native.d.ts"), IFACE);
  const built = await compile({
    entry: join(work, "native.ts"),
    interfaceFile: join(work, "native.d.ts"),
    skipOpt: true,
  });
  const p = await createPlugin(await WebAssembly.compile(built.wasm), { useWasi: true });
  // median of `runs` in-plugin timings (the plugin reports ms as its output)
  const inPlugin = async (fn, input, runs) => {
    const xs = [];
    for (let i = 0; i < runs + 1; i++) {
      const out = await p.call(fn, input);
      if (i > 0) xs.push(Number(out.text()));
      await p.reset();
    }
    return median(xs);
  };
  const inNode = async (f, runs) => {
    const xs = [];
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      await f();
      if (i > 0) xs.push(performance.now() - t);
    }
    return median(xs);
  };
  const subtle = globalThis.crypto.subtle;
  const rows = [];

  const data = new Uint8Array(4 << 20).map((_, i) => (i * 31 + 7) & 255);
  rows.push({
    benchmark: "crypto.subtle.digest SHA-256, 4 MiB (in plugin)",
    value: await inPlugin("digest", data, 7),
    unit: "ms",
    baseline: "plain Node",
    baselineValue: await inNode(() => subtle.digest("SHA-256", data), 7),
    target: "<= 8x Node",
  });

  const msg = data.subarray(0, 256);
  rows.push({
    benchmark: "1000 x HMAC-SHA256 importKey + sign of 256 B (in plugin)",
    value: await inPlugin("hmac", msg, 7),
    unit: "ms",
    baseline: "plain Node",
    baselineValue: await inNode(async () => {
      for (let i = 0; i < 1000; i++) {
        const key = await subtle.importKey(
          "raw",
          msg.subarray(i % 64, (i % 64) + 32),
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign"],
        );
        await subtle.sign("HMAC", key, msg);
      }
    }, 7),
    target: "same speed class (<= 4x Node)",
  });

  const json = jsonDoc(1 << 20);
  rows.push({
    benchmark: "JSON.stringify(JSON.parse()) of 1 MB, 12,000 small objects (in plugin)",
    value: await inPlugin("json", json, 9),
    unit: "ms",
    baseline: "plain Node",
    baselineValue: await inNode(() => JSON.stringify(JSON.parse(json)), 9),
    target: "<= 2x Node",
  });
  rows.push({
    benchmark: "JSON.parse alone, the same 1 MB (in plugin)",
    value: await inPlugin("jsonParse", json, 9),
    unit: "ms",
    baseline: "plain Node",
    baselineValue: await inNode(() => JSON.parse(json).items.length, 9),
  });
  await p.close();
  return rows;
}
