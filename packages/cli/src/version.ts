// The capstan version, injected by the bundler from package.json (scripts/bundle.mjs).
declare const __CAPSTAN_VERSION__: string | undefined;

/** Version of this capstan build. */
export const version: string = typeof __CAPSTAN_VERSION__ === "string" ? __CAPSTAN_VERSION__ : "0.0.0-dev";
