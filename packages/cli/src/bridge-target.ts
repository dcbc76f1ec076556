// Helm bridges - see docs/helm-bridges.md. What the generated scripts bake in: the capstan
// executable and Capstan's plugin path (flags, else this capstan and its current plugin path).
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import type { Discovery } from "@capstan/host";
import type { CommandContext, OptionSpec } from "./command.js";
import type { BridgeFile, BridgeTarget } from "./helm-bridges.js";
import { discoveryOptions, settingsFor } from "./settings.js";
import { UsageError } from "./usage-error.js";

/** The flags every bridge generator takes to choose what its script bakes in. */
export const bridgeTargetOptions: OptionSpec[] = [
  { flags: "--capstan <path>", description: "capstan executable the script runs (default: this one)" },
  {
    flags: "--plugin-home <path>",
    description: "Capstan plugin path baked into the script (default: the current one)",
  },
];

/** The flags of the generators that write a whole Helm plugin directory. */
export const pluginDirOptions: OptionSpec[] = [
  { flags: "-d, --destination <dir>", description: "directory to create the plugin in", default: "." },
  { flags: "--force", description: "replace an existing plugin directory" },
];

/** DESTINATION/NAME, emptied when --force allows it; refused when it exists otherwise. */
export function preparePluginDir(opts: Record<string, unknown>, name: string, command: string): string {
  const dir = resolve(String(opts.destination ?? "."), name);
  if (existsSync(dir)) {
    if (opts.force !== true) throw new UsageError(`${dir} exists; pass --force to replace it`, command);
    rmSync(dir, { recursive: true, force: true });
  }
  return dir;
}

/** Writes a generated plugin's files under `dir`, scripts executable. */
export function writeBridgeFiles(dir: string, files: BridgeFile[]): void {
  for (const f of files) {
    const file = join(dir, f.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, f.text);
    if (f.executable) chmodSync(file, 0o755);
  }
}

/** The baked-in target of a bridge, and the plugins found on that plugin path. */
export async function bridgeTarget(opts: Record<string, unknown>, ctx: CommandContext) {
  const { discoverPlugins } = await import("@capstan/host");
  const { version } = await import("./version.js");
  const settings = await settingsFor(ctx);
  const pluginPath =
    opts.pluginHome === undefined
      ? settings.pluginPath
      : String(opts.pluginHome)
          .split(delimiter)
          .filter((p) => p !== "")
          .map((p) => resolve(p));
  const target: BridgeTarget = {
    capstan: opts.capstan === undefined ? ctx.bin : resolve(String(opts.capstan)),
    pluginHome: pluginPath.join(delimiter),
    version,
  };
  const discovery = await discoverPlugins(pluginPath, discoveryOptions(settings));
  return { target, discovery };
}

/** Post-renderer plugin names before `--` (the rest are baked arguments); checked. */
export function postRendererNames(given: unknown, ctx: CommandContext, command: string): string[] {
  const all = given as string[];
  const plugins = all.slice(0, all.length - ctx.afterDashes.length);
  if (plugins.length === 0) throw new UsageError("name at least one post-renderer plugin", command);
  const bad = plugins.find((p) => !/^[A-Za-z0-9_-]+$/.test(p));
  if (bad !== undefined) throw new UsageError(`"${bad}" is not a plugin name`, command);
  return plugins;
}

/** Warns (stderr) about plugins not installed as post-renderers on the baked plugin path. */
export async function warnMissingPostrenderers(
  plugins: readonly string[],
  target: BridgeTarget,
  discovery: Discovery,
  ctx: CommandContext,
): Promise<void> {
  const { pluginHasType } = await import("@capstan/host");
  for (const name of plugins) {
    const p = discovery.plugins.find((x) => x.manifest.name === name);
    if (!p || !pluginHasType(p, "postrenderer/v1")) {
      ctx.stderr.write(
        `warning: no post-renderer plugin "${name}" in ${target.pluginHome} yet: install it before running helm\n`,
      );
    }
  }
}
