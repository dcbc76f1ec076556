// Child process entry for crash and concurrency tests: `node child.mjs install|update <home> <source|name>`.
// Bundled by the test with esbuild, so it runs the same sources the tests import.

import { resolveSettings } from "@capstan/host";
import { installPlugin, updatePlugin } from "../../src/install/install-plugin.js";

const [mode, home, what] = process.argv.slice(2);
const env = { ...process.env, CAPSTAN_PLUGINS: home! };
const opts = { settings: resolveSettings(env), env, verify: false, hookOutput: "pipe" as const };
const r = mode === "update" ? await updatePlugin(what!, opts) : await installPlugin(what!, opts);
process.stdout.write(`${JSON.stringify(r)}\n`);
