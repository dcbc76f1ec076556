// The prelude entry: evaluated (and snapshotted) before the plugin's bundle. kernel.ts must
// come first (it captures `__capstan`); lazy.ts installs the on-demand globals (url, fetch,
// Buffer, crypto... see scripts/prelude-options.mjs).
import "./kernel.js";
import "./console.js";
import "./text.js";
import "./dom-exception.js";
import "./base64.js";
import "./host.js";
import "./config-var.js";
import "./http.js";
import "./memory.js";
import "./time.js";
import "./lazy.js";
