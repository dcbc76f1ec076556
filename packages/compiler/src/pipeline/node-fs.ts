// Node's `fs` does not exist inside a plugin (no Node built-ins: the engine is QuickJS on WASI).
// Imports of it fail the build with a message naming what to use instead, both in the type
// check (TS2307) and in the bundle step (for JavaScript entries and dependencies).

/** Module names that mean Node's file system. */
const FS_MODULE = /^(node:)?fs(\/promises)?$/;

/** What to use instead, for the error hint. */
export const NODE_FS_HINT =
  "a plugin has no Node `fs`: use Capstan.readFile / Capstan.readTextFile / Capstan.readDir / Capstan.stat (absolute paths under runtimeConfig.allowedPaths, docs/pdk.md)";

/** True for "fs", "node:fs", "fs/promises", "node:fs/promises". */
export function isNodeFs(specifier: string): boolean {
  return FS_MODULE.test(specifier);
}

/** True when a type-check diagnostic is "Cannot find module" for Node's fs. */
export function mentionsNodeFs(diagnostic: string): boolean {
  return /Cannot find module '(node:)?fs(\/promises)?'/.test(diagnostic);
}

/** esbuild plugin refusing the import with the message above. */
export const refuseNodeFs = {
  name: "capstan-refuse-node-fs",
  setup(b: {
    onResolve(
      o: { filter: RegExp },
      cb: (a: { path: string }) => { errors: Array<{ text: string }> } | undefined,
    ): void;
  }) {
    b.onResolve({ filter: FS_MODULE }, (a) =>
      isNodeFs(a.path)
        ? { errors: [{ text: `"${a.path}" cannot be imported inside a plugin: ${NODE_FS_HINT}` }] }
        : undefined,
    );
  },
};
