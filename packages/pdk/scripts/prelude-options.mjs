// esbuild options for dist/prelude.js, shared by the package build and the tests.
import { fileURLToPath } from "node:url";

/** Bundles src/prelude/index.ts into one IIFE script for the engine (ES2020, no Node APIs). */
export function preludeOptions({ minify = true } = {}) {
  return {
    entryPoints: [fileURLToPath(new URL("../src/prelude/index.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    platform: "neutral",
    target: "es2020",
    // QuickJS has class fields natively: keep them instead of lowering to helper calls
    supported: { "class-field": true, "class-static-field": true },
    minify,
    legalComments: "none",
    logLevel: "warning",
  };
}
