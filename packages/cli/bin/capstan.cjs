#!/usr/bin/env node
// The `capstan` executable: a CommonJS shim in front of the bundle. CommonJS on purpose: an
// ES module entry makes node start its ESM loader, which costs more than a small plugin call.
// Compiling the 180 kB bundle costs more than the rest of a Wasm plugin call, so its compiled
// code is cached between runs: Node >= 22.1 does it itself (module.enableCompileCache); on
// older Node the bundle runs as a vm.Script with V8's code cache, kept per command word in
// $HELM_CACHE_HOME (default ~/.cache/capstan) and rewritten when the bundle or Node changes.
"use strict";
const Module = require("node:module");
const { join } = require("node:path");
const file = join(__dirname, "..", "dist", "capstan.cjs");
// Before anything compiles: V8 flags for one-shot Wasm calls (wasm-tiering.cjs).
require("./wasm-tiering.cjs").applyWasmTiering();

if (process.env.CAPSTAN_CODE_CACHE === "off") {
  require(file);
} else if (Module.enableCompileCache) {
  Module.enableCompileCache();
  require(file);
} else {
  runCached();
}

function runCached() {
  const fs = require("node:fs");
  const vm = require("node:vm");
  const env = process.env;
  // Stat and read through one descriptor: a build replaces the file by a rename, and the key
  // must describe the very bytes that run. The bundle is ASCII (esbuild escapes the rest;
  // scripts/bundle.mjs checks): latin1 is the cheapest decoding.
  const fd = fs.openSync(file, "r");
  const st = fs.fstatSync(fd);
  const source = fs.readFileSync(fd, "latin1");
  fs.closeSync(fd);
  // V8 checks its version and flags and the source length, not the content: the key adds
  // the bundle's identity. One file per command word, so that each file holds the functions
  // that word runs (a `plugin list` run would not warm a plugin call).
  const key = `${process.version} ${process.arch} ${st.ino} ${st.size} ${st.mtimeMs}`;
  const word = commandWord(process.argv.slice(2)).replace(/[^\w.-]/g, "_").slice(0, 64);
  const dir =
    env.HELM_CACHE_HOME || join(env.XDG_CACHE_HOME || join(env.HOME || require("node:os").homedir(), ".cache"), "capstan");
  const cacheFile = join(dir, `code-cache-${word || "-"}.bin`);
  let cachedData;
  try {
    const buf = fs.readFileSync(cacheFile);
    const nl = buf.indexOf(10);
    if (nl > 0 && buf.toString("latin1", 0, nl) === key) cachedData = buf.subarray(nl + 1);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __capstanShimImport) {${source}\n})`,
    { filename: file, cachedData },
  );
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written at exit, after a successful run: by then the code cache holds every function
    // the run compiled, not just the top level.
    process.once("exit", (code) => {
      if (code !== 0) return;
      try {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${key}\n`, "latin1"), script.createCachedData()]));
        fs.renameSync(tmp, cacheFile);
      } catch {
        // a read-only or full cache directory only costs speed
      }
    });
  }
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  // import() inside a vm.Script needs a callback node 20 offers only behind a flag: the bundle's
  // dynamic imports call this one instead (scripts/bundle.mjs rewrites them).
  const shimImport = (specifier) => import(specifier.startsWith(".") ? require("node:url").pathToFileURL(join(file, "..", specifier)).href : specifier);
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, join(file, ".."), shimImport);
}

/** The first argument that is neither a flag nor the value of a global flag (src/globals.ts). */
function commandWord(args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-n" || a === "--namespace" || a === "--kube-context" || a === "--kubeconfig") i++;
    else if (!a.startsWith("-")) return a;
  }
  return "";
}
