// `capstan plugin build [dir]`: compiles a TypeScript plugin (plugin.yaml + TS entry) into
// plugin.wasm next to plugin.yaml: type check, bundle with npm dependencies, snapshot.
import { defineCommand } from "../../command.js";

/** `capstan plugin build` */
export const pluginBuildCommand = defineCommand({
  name: "plugin build",
  args: "[dir]",
  summary: "compile a TypeScript plugin into plugin.wasm",
  description:
    "Reads plugin.yaml in DIR (default: the current directory), type-checks the TypeScript entry\n" +
    "(package.json capstan.entry or main, else src/index.ts, src/plugin.ts, plugin.ts, index.ts),\n" +
    "bundles it with its npm dependencies, compiles it and writes DIR/plugin.wasm.\n" +
    "Exports come from plugin.d.ts / interface.d.ts when present, else the manifest's entry function.",
  options: [
    { flags: "--skip-opt", description: "skip the wasm-opt pass" },
    { flags: "--no-typecheck", description: "skip the TypeScript type check" },
  ],
  async run([dir], opts, ctx) {
    const project = typeof dir === "string" ? dir : ".";
    const { checkProjectVersions } = await import("../../project-versions.js");
    const { version } = await import("../../version.js");
    checkProjectVersions(project, version);
    const { buildPlugin } = await import("@capstan/compiler");
    const tty = (ctx.stderr as { isTTY?: boolean }).isTTY === true;
    const t0 = performance.now();
    const result = await buildPlugin(project, {
      skipOpt: opts.skipOpt === true,
      typecheck: opts.typecheck !== false,
      onProgress: tty ? (step) => ctx.stderr.write(`\r\x1b[K${step}...`) : undefined,
    });
    if (tty) ctx.stderr.write("\r\x1b[K");
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    ctx.stdout.write(`built ${result.output} (${(result.size / 1024).toFixed(0)} KB) in ${secs} s\n`);
    return 0;
  },
});
