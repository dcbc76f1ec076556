// Scaffold (plugin create) - see docs/cli.md.
// `capstan plugin create --type cli|getter|postrenderer <name> [--dir parent] [--protocol s]`:
// a TypeScript plugin project that builds, tests and packages as soon as it is installed.
import { relative } from "node:path";
import { defineCommand } from "../../command.js";
import { UsageError } from "../../usage-error.js";

const TYPES = ["cli", "getter", "postrenderer"] as const;

/** `capstan plugin create` */
export const pluginCreateCommand = defineCommand({
  name: "plugin create",
  args: "<name>",
  summary: "create a TypeScript plugin project (cli, getter or postrenderer)",
  description:
    "Writes <dir>/<name>/: plugin.yaml, package.json, tsconfig.json, src/index.ts,\n" +
    "a test, README.md and .gitignore. Then: npm install, npm test (builds\n" +
    "plugin.wasm, tests it through capstan), npm run package.\n" +
    "Never overwrites: fails when <dir>/<name> exists.",
  options: [
    { flags: "-t, --type <type>", description: "plugin type: cli, getter or postrenderer" },
    { flags: "--dir <parent>", description: "directory to create the project in", default: "." },
    {
      flags: "--protocol <scheme>",
      description: "getter: URL scheme it serves (repeatable; default: from the name)",
      repeatable: true,
    },
  ],
  async run([name], opts, ctx) {
    const type = opts.type === undefined ? undefined : String(opts.type);
    if (type === undefined)
      throw new UsageError("--type is required: cli, getter or postrenderer", "plugin create");
    const kind = type.replace(/\/v1$/, "") as (typeof TYPES)[number];
    if (!TYPES.includes(kind))
      throw new UsageError(
        `--type: unknown plugin type "${type}" (use cli, getter or postrenderer)`,
        "plugin create",
      );
    const { checkPluginName, scaffold } = await import("../../scaffold.js");
    const pluginName = String(name);
    checkPluginName(pluginName);
    if (kind === "cli") {
      const { builtinNames } = await import("../../builtin-names.js");
      if ((await builtinNames()).has(pluginName) || pluginName === "help") {
        throw new UsageError(
          `"${pluginName}" is a built-in capstan command: a cli plugin with that name could never run`,
          "plugin create",
        );
      }
    }
    const protocols = opts.protocol as string[] | undefined;
    if (protocols !== undefined && kind !== "getter")
      throw new UsageError("--protocol is for --type getter only", "plugin create");
    const { version } = await import("../../version.js");
    const r = scaffold({
      type: kind,
      name: pluginName,
      parent: String(opts.dir ?? "."),
      protocols: protocols?.flatMap((p) => p.split(",")).map((p) => p.trim().replace(/:\/*$/, "")),
      version,
    });
    const shown = relative(process.cwd(), r.dir) || ".";
    ctx.stdout.write(`created ${kind} plugin "${pluginName}" in ${r.dir}\n`);
    for (const f of r.files) ctx.stdout.write(`  ${f}\n`);
    ctx.stdout.write(
      `next:\n  cd ${shown}\n  ${r.workspace ? "npx pnpm@9.15.9 install" : "npm install"}\n  npm test          # builds plugin.wasm, then tests it through capstan\n  npm run package   # dist/${pluginName}-0.1.0.tgz\n`,
    );
    return 0;
  },
});
