// Types for prelude-options.mjs (imported by the tests).
import type { BuildOptions } from "esbuild";
export function preludeOptions(opts?: { minify?: boolean }): BuildOptions;
