// Rebuilds a plugin only when plugin.wasm is older than its sources. Sample plugins' tests use
// it: turbo's `test` runs after `build`, and rebuilding unconditionally would race with other
// packages' tests reading the same plugin.wasm (and cost a compile per test file).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { type BuildPluginOptions, buildPlugin } from "./build-plugin.js";

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** Builds `dir`/plugin.wasm unless it is newer than src/, plugin.yaml and package.json; true when it built. */
export async function buildPluginIfStale(dir: string, opts: BuildPluginOptions = {}): Promise<boolean> {
  const root = resolve(dir);
  const wasm = join(root, "plugin.wasm");
  const sources = Math.max(...["src", "plugin.yaml", "package.json"].map((f) => newest(join(root, f))));
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= sources) return false;
  await buildPlugin(root, opts);
  return true;
}
