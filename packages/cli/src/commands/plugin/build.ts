// `capstan plugin build [dir]`: compiles a TypeScript plugin (plugin.yaml + TS entry) into
// plugin.wasm next to plugin.yaml: type check, bundle with npm dependencies, snapshot. It
// prints what the module is made of, so authors see where the bytes go.
import type { CompileSizes } from "@capstan/compiler";
import { defineCommand } from "../../command.js";

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

/** The lines `plugin build` prints under "built ...": the module's parts and largest inputs. */
export function describeSizes(s: CompileSizes): string[] {
  const lines = [
    `  engine code ${kb(s.engineCode)}, snapshot heap ${kb(s.snapshotHeap)}, other ${kb(s.other)}`,
    `  evaluated into the heap: bundle ${kb(s.bundle)}, source map ${kb(s.sourceMap)} (kept for error positions)`,
  ];
  if (s.largestInputs.length > 0) {
    lines.push(
      `  largest bundle inputs: ${s.largestInputs.map((i) => `${i.path} ${kb(i.bytes)}`).join(", ")}`,
    );
  }
  return lines;
}

/** `capstan plugin build` */
export const pluginBuildCommand = defineCommand({
  name: "plugin build",
  args: "[dir]",
  summary: "compile a TypeScript plugin into plugin.wasm",
  description:
    "Reads plugin.yaml in DIR (default: the current directory), type-checks the TypeScript entry\n" +
    "(package.json capstan.entry or main, else src/index.ts, src/plugin.ts, plugin.ts, index.ts),\n" +
    "bundles it with its npm dependencies, compiles it and writes DIR/plugin.wasm.\n" +
    "Exports come from plugin.d.ts / interface.d.ts (or src/interface.d.ts) when present, else the\n" +
    "manifest's entry function.",
  options: [
    { flags: "--skip-opt", description: "accepted for compatibility (there is no wasm-opt pass)" },
    { flags: "--no-typecheck", description: "skip the TypeScript type check" },
    {
      flags: "--target <name>",
      description:
        "extism (default: Capstan, Helm 4, @extism/extism 2.x) or extism-1.0 (@extism/extism 1.0.x: no response headers)",
    },
  ],
  async run([dir], opts, ctx) {
    const project = typeof dir === "string" ? dir : ".";
    const { checkProjectVersions } = await import("../../project-versions.js");
    const { version } = await import("../../version.js");
    checkProjectVersions(project, version);
    (await import("../../version-agreement.js")).checkVersionAgreement(project);
    const { buildPlugin, parseTarget } = await import("@capstan/compiler");
    const tty = (ctx.stderr as { isTTY?: boolean }).isTTY === true;
    const t0 = performance.now();
    const result = await buildPlugin(project, {
      typecheck: opts.typecheck !== false,
      target: parseTarget(typeof opts.target === "string" ? opts.target : undefined),
      onProgress: tty ? (step) => ctx.stderr.write(`\r\x1b[K${step}...`) : undefined,
    });
    if (tty) ctx.stderr.write("\r\x1b[K");
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    ctx.stdout.write(`built ${result.output} (${kb(result.size)}) in ${secs} s\n`);
    ctx.stdout.write(`${describeSizes(result.sizes).join("\n")}\n`);
    return 0;
  },
});
