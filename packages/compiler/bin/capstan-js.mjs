#!/usr/bin/env node
// capstan-js: extism-js compatible compiler entry (runs the built dist/).
process.removeAllListeners("warning");
const { runCapstanJs } = await import("../dist/cli/capstan-js.js");
process.exitCode = await runCapstanJs(process.argv.slice(2));
