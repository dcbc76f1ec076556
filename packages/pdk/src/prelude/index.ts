// The prelude entry: evaluated (and snapshotted) before the plugin's bundle. Order matters only
// for kernel.ts, which must capture `__capstan` first.
import "./kernel.js";
import "./console.js";
import "./text.js";
import "./dom-exception.js";
import "./base64.js";
import "./host.js";
import "./config-var.js";
import "./http.js";
import "./memory.js";
import "./url.js";
import "./url-pattern.js";
import "./structured-clone.js";
import "./crypto.js";
import "./time.js";
import "./events.js";
import "./fetch.js";
import "./buffer.js";
import "./process.js";
