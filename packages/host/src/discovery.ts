// Plugin discovery over the plugin path: every directory holding plugin.yaml is one plugin.
// A broken plugin is reported with its error and never hides the others; when two plugins
// share a name the first on the path wins and the other is reported as shadowed.
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CapstanError, ExitCode, type LoadedPlugin, loadManifest, type PluginType } from "@capstan/manifest";

/** A plugin directory that could not be used. */
export interface DiscoveryProblem {
  /** `broken`: plugin.yaml failed to load; `duplicate`: another plugin has the same name. */
  kind: "broken" | "duplicate";
  /** Absolute plugin directory. */
  dir: string;
  /** Plugin name when known (always for duplicates). */
  name?: string;
  /** One line for a person. */
  message: string;
  /** The load error (broken) */
  error?: unknown;
  /** Directory of the plugin that won (duplicate). */
  shadowedBy?: string;
}

/** Result of discovery: usable plugins in path order, and the problems found. */
export interface Discovery {
  plugins: LoadedPlugin[];
  problems: DiscoveryProblem[];
}

/** Directories in `dir` that hold a plugin.yaml, sorted by name; hidden entries are skipped. */
async function pluginDirs(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return []; // a missing plugin home is an empty one
  }
  const found = await Promise.all(
    entries
      .filter((e) => !e.startsWith("."))
      .sort()
      .map(async (e) => {
        const d = join(dir, e);
        // stat (not lstat): locally installed plugins may be symlinks, as in Helm.
        const s = await stat(join(d, "plugin.yaml")).catch(() => undefined);
        return s?.isFile() ? d : undefined;
      }),
  );
  return found.filter((d): d is string => d !== undefined);
}

/** Finds and loads every plugin on `pluginPath` (directories searched in order). */
export async function discoverPlugins(
  pluginPath: readonly string[],
  options: { strict?: boolean } = {},
): Promise<Discovery> {
  const dirs = (await Promise.all(pluginPath.map((p) => pluginDirs(resolve(p))))).flat();
  const loaded = await Promise.all(
    dirs.map((dir) =>
      loadManifest(dir, options).then(
        (plugin) => ({ dir, plugin }),
        (error: unknown) => ({ dir, error }),
      ),
    ),
  );
  const plugins: LoadedPlugin[] = [];
  const problems: DiscoveryProblem[] = [];
  const byName = new Map<string, LoadedPlugin>();
  for (const r of loaded) {
    if ("error" in r) {
      const message = r.error instanceof Error ? r.error.message : String(r.error);
      problems.push({ kind: "broken", dir: r.dir, message, error: r.error });
      continue;
    }
    const name = r.plugin.manifest.name;
    const first = byName.get(name);
    if (first) {
      problems.push({
        kind: "duplicate",
        dir: r.dir,
        name,
        shadowedBy: first.dir,
        message: `plugin "${name}" in ${r.dir} is ignored: ${first.dir} has the same name and comes first on the plugin path`,
      });
      continue;
    }
    byName.set(name, r.plugin);
    plugins.push(r.plugin);
  }
  return { plugins, problems };
}

/**
 * The plugin called `name` (optionally of `type`). Throws a CapstanError: exit 4 when no plugin
 * has that name; a broken plugin whose directory is called `name` rethrows its load error.
 */
export async function findPlugin(
  pluginPath: readonly string[],
  name: string,
  options: { type?: PluginType; strict?: boolean } = {},
): Promise<LoadedPlugin> {
  const { plugins, problems } = await discoverPlugins(pluginPath, options);
  const plugin = plugins.find((p) => p.manifest.name === name);
  if (plugin) {
    if (
      options.type &&
      plugin.manifest.type !== options.type &&
      !(options.type === "cli/v1" && plugin.manifest.cli)
    ) {
      throw new CapstanError(
        "wrong-plugin-type",
        `plugin "${name}" (${plugin.dir}) is a ${plugin.manifest.type} plugin, not ${options.type}`,
        {
          exitCode: ExitCode.usage,
          hint: `run 'capstan plugin list --type ${options.type}' to see the ${options.type} plugins`,
        },
      );
    }
    return plugin;
  }
  const broken = problems.find((p) => p.kind === "broken" && p.dir.split(/[\\/]/).pop() === name);
  if (broken?.error) throw broken.error;
  throw new CapstanError(
    "plugin-not-found",
    `no plugin named "${name}" in ${pluginPath.join(", ") || "(empty plugin path)"}`,
    {
      exitCode: ExitCode.notFound,
      hint: `run 'capstan plugin list' to see installed plugins, or 'capstan plugin install <source>'`,
    },
  );
}
