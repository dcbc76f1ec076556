// Created by `capstan plugin create`.
// Copies what an installed plugin needs (plugin.yaml, plugin.wasm, README.md, LICENSE) into
// dist/<name>/, so `capstan plugin package dist/<name>` packages the plugin and not the
// project around it (node_modules, sources, tests).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const name = /^name:\s*["']?([A-Za-z0-9_-]+)/m.exec(readFileSync(join(root, "plugin.yaml"), "utf8"))?.[1];
if (!name) throw new Error("plugin.yaml has no name");
if (!existsSync(join(root, "plugin.wasm"))) {
  console.error("error: plugin.wasm is missing\nhint: run `npm run build` first");
  process.exit(1);
}
const out = join(root, "dist", name);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ["plugin.yaml", "plugin.wasm", "README.md", "LICENSE"]) {
  if (existsSync(join(root, file))) copyFileSync(join(root, file), join(out, file));
}
console.log(`staged ${out}`);
