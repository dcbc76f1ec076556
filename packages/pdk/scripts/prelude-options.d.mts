// Types for prelude-options.mjs (imported by the tests).
export const LAZY_MODULES: Record<string, string[]>;
export function buildPreludeText(opts?: { minify?: boolean }): Promise<string>;
