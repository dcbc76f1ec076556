// Builds plugin.wasm unless it is newer than every source (turbo's `test` runs after `build`,
// and rebuilding here would race with other packages' tests reading the same file).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildPlugin } from "@capstan/compiler";

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** Ensures `dir`/plugin.wasm is up to date with src/, plugin.yaml and package.json. */
export async function ensureBuilt(dir: string): Promise<void> {
  const wasm = join(dir, "plugin.wasm");
  const sources = Math.max(...["src", "plugin.yaml", "package.json"].map((f) => newest(join(dir, f))));
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= sources) return;
  await buildPlugin(dir, { skipOpt: true });
}
