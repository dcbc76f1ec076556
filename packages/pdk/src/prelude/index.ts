// The prelude entry: evaluated (and snapshotted) before the plugin's bundle. kernel.ts must
// come first (it captures `__capstan`); the modules every other one shares follow; lazy.ts then
// evaluates the eager chunks and installs the on-demand globals (scripts/prelude-options.mjs).
import "./kernel.js";
import "./yaml-native.js";
import "./dom-exception.js";
import "./http.js";
import "./lazy.js";
import "./locale.js";
import { defineGlobal } from "./define.js";

// `self` is the global object, as in browsers, workers and the js-pdk.
defineGlobal("self", globalThis);
