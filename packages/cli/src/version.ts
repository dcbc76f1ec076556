// The capstan version and build identity, injected by the bundler (scripts/bundle.mjs).
declare const __CAPSTAN_VERSION__: string | undefined;
declare const __CAPSTAN_BUILD__: string | undefined;

/** Version of this capstan build. */
export const version: string = typeof __CAPSTAN_VERSION__ === "string" ? __CAPSTAN_VERSION__ : "0.0.0-dev";

/** `capstan <version> (node <version>, <platform>/<arch>)`: what a bug report needs. */
export function versionLine(): string {
  return `capstan ${version} (node ${process.version}, ${process.platform}/${process.arch})`;
}

/** Identity of this build (bundle time); caches written by another build are discarded. */
export const buildId: string = typeof __CAPSTAN_BUILD__ === "string" ? __CAPSTAN_BUILD__ : "dev";
