#!/usr/bin/env node
// Records what build/engine.wasm was built from (build/engine.inputs.json: a digest over csrc/
// and the build script, and the sha256 of the wasm), right after scripts/build-engine.mjs.
// The release (tools/release) recomputes both and refuses to publish a missing or stale
// engine.wasm: users get the prebuilt file and never run clang.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inputDigest } from "../../../tools/build/freshness.mjs";

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));

/** The engine's source inputs: the C glue and the build script (QuickJS is pinned in it). */
export function engineInputs() {
  const csrc = readdirSync(join(pkg, "csrc")).map((f) => join(pkg, "csrc", f));
  return inputDigest([...csrc, join(pkg, "scripts", "build-engine.mjs")], pkg);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wasm = createHash("sha256")
    .update(readFileSync(join(pkg, "build", "engine.wasm")))
    .digest("hex");
  writeFileSync(
    join(pkg, "build", "engine.inputs.json"),
    `${JSON.stringify({ inputs: engineInputs(), wasm }, null, 1)}\n`,
  );
}
