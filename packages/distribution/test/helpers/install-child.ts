// Child process entry for crash and concurrency tests: `node child.mjs install|update <home> <source|name>`.
// Bundled by the test with esbuild, so it runs the same sources the tests import.
// With CAPSTAN_TEST_PAUSE_AFTER=<n> and CAPSTAN_TEST_PAUSE_MARKER=<file>, the child stops for
// good right after it has extracted its n-th file under a plugin's data/ directory and creates
// <file>: a test kills it there, in the middle of extraction, with no race against its speed.
import { createRequire, syncBuiltinESMExports } from "node:module";
import { resolveSettings } from "@capstan/host";
import { installPlugin, updatePlugin } from "../../src/install/install-plugin.js";

const pauseAfter = Number(process.env.CAPSTAN_TEST_PAUSE_AFTER ?? 0);
const marker = process.env.CAPSTAN_TEST_PAUSE_MARKER;
if (pauseAfter > 0 && marker) {
  // The CommonJS object behind node:fs; syncBuiltinESMExports makes ESM importers see the patch.
  const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
  const write = fs.writeFileSync;
  let written = 0;
  fs.writeFileSync = ((...args: Parameters<typeof write>) => {
    write(...args);
    if (String(args[0]).includes("/data/") && ++written === pauseAfter) {
      write(marker, "");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until SIGKILL
    }
  }) as typeof write;
  syncBuiltinESMExports();
}

const [mode, home, what] = process.argv.slice(2);
const env = { ...process.env, CAPSTAN_PLUGINS: home! };
const opts = { settings: resolveSettings(env), env, verify: false, hookOutput: "pipe" as const };
const r = mode === "update" ? await updatePlugin(what!, opts) : await installPlugin(what!, opts);
process.stdout.write(`${JSON.stringify(r)}\n`);
