#!/usr/bin/env node
// The `capstan` executable: a CommonJS shim in front of the bundle. CommonJS on purpose: an
// ES module entry makes node start its ESM loader, which costs more than a small plugin call.
// Node >= 22.1 also caches compiled code between runs (module.enableCompileCache).
require("node:module").enableCompileCache?.();
require("../dist/capstan.cjs");
