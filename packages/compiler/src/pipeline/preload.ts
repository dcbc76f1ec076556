// The last init script: lets the PDK prelude evaluate, into the snapshot, the lazy global
// families (URL, fetch, Buffer...) the bundle mentions, so they cost nothing per call
// (see packages/pdk/src/prelude/lazy.ts), and drop the source of those nothing names (they
// stay out of the snapshot; touching one by a computed name throws a ReferenceError saying how
// to keep it). Preludes without the hook are unaffected.

/** Script source calling the prelude's `__capstanPreload` with the bundle's text. */
export function preloadScript(bundleCode: string): string {
  return `if (typeof __capstanPreload === "function") __capstanPreload(${JSON.stringify(bundleCode)}, true);\n`;
}
