// The virtual module scripts/prelude-options.mjs generates: lazy modules as source strings.
declare module "capstan:lazy-sources" {
  /** One lazy module: its name, the globals it defines and `(function(__capstanShared){...})`. */
  export const LAZY: Array<{ name: string; globals: string[]; eager: boolean; source: string }>;
}
