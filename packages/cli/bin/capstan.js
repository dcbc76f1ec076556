#!/usr/bin/env node
// The `capstan` executable: a shim in front of the bundle. Node >= 22.1 caches compiled code
// between runs (module.enableCompileCache), which shortens every start; older Nodes skip it.
import module from "node:module";

module.enableCompileCache?.();
await import("../dist/capstan.js");
