// Created by `capstan plugin create`.
// Test helper: runs the capstan CLI against a temporary plugin home that links this project
// (where `capstan plugin install` would put it), so tests exercise the real plugin.wasm
// through the same path users take. capstan comes from node_modules/.bin (npm scripts put it
// on PATH) or from $CAPSTAN_BIN.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project directory (holds plugin.yaml and plugin.wasm). */
export const projectDir = fileURLToPath(new URL("..", import.meta.url));
/** The plugin name from plugin.yaml. */
export const pluginName = /^name:\s*["']?([A-Za-z0-9_-]+)/m.exec(
  readFileSync(join(projectDir, "plugin.yaml"), "utf8"),
)?.[1];

/**
 * Runs `capstan ...args` with `input` on stdin; resolves to {code, stdout, stderr}
 * (stdout is a Buffer when `binary` is set).
 */
export async function capstan(args, { input = "", env = {}, binary = false } = {}) {
  const home = mkdtempSync(join(tmpdir(), `${pluginName}-test-`));
  const plugins = join(home, "plugins");
  mkdirSync(plugins);
  symlinkSync(projectDir, join(plugins, pluginName), "dir");
  const bin = process.env.CAPSTAN_BIN || "capstan";
  // A .js/.cjs CAPSTAN_BIN runs with this node (no shebang needed).
  const [cmd, pre] = /\.[cm]?js$/.test(bin) ? [process.execPath, [bin]] : [bin, []];
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(cmd, [...pre, ...args], {
        env: { ...process.env, ...env, CAPSTAN_PLUGINS: plugins, XDG_CACHE_HOME: join(home, "cache") },
        shell: process.platform === "win32",
      });
      const out = [];
      let stderr = "";
      child.stdout.on("data", (b) => out.push(b));
      child.stderr.setEncoding("utf8").on("data", (s) => (stderr += s));
      child.on("error", (e) =>
        reject(new Error(`cannot run ${bin} (${e.message}): run \`npm install\` first, or set CAPSTAN_BIN`)),
      );
      child.on("close", (code) => {
        const stdout = Buffer.concat(out);
        resolve({ code, stdout: binary ? stdout : stdout.toString("utf8"), stderr });
      });
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
