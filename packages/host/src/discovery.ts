// Plugin discovery over the plugin path: every directory holding plugin.yaml is one plugin.
// A broken plugin is reported with its error and never hides the others; when two plugins
// share a name the installed one (with an install record) wins, else the first on the path,
// and the other is reported as shadowed.
import { existsSync, readdirSync, type Stats, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ExitCode, type LoadedPlugin, type PluginType } from "@capstan/manifest";
import {
  cacheEntry,
  cacheEntryValid,
  type DiscoveryCacheEntry,
  type DiscoveryCacheOptions,
  readDiscoveryCache,
  writeDiscoveryCache,
} from "./discovery-cache.js";
import { RuntimeError } from "./errors.js";
import { RECORD_FILE } from "./installed/install-record.js";

/** A plugin directory that could not be used. */
export interface DiscoveryProblem {
  /**
   * `broken`: plugin.yaml failed to load; `duplicate`: another plugin has the same name;
   * `stray`: an entry of the plugin home that is not a directory (file, FIFO, device, dangling link).
   */
  kind: "broken" | "duplicate" | "stray";
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

/** Options of discovery. */
export interface DiscoveryOptions {
  /** Unknown runtimeConfig keys are errors (`--strict`); default false. */
  strict?: boolean;
  /** Reuse manifests loaded by an earlier run while their plugin.yaml is unchanged. */
  cache?: DiscoveryCacheOptions;
}

/**
 * Directories in `dir` that hold a plugin.yaml (with its stats), sorted; hidden entries are
 * skipped, and so are entries that are not directories at all (a stray file, FIFO, device or
 * dangling link in the plugin home), each with a `stray` problem. Synchronous on purpose: a few
 * metadata calls are quicker inline than through the thread pool, and a plugin call's start-up
 * waits on them; an entry costs one stat unless it is not a plugin.
 */
function pluginDirs(dir: string, problems: DiscoveryProblem[]): { dir: string; stats: Stats }[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return []; // a missing plugin home is an empty one
  }
  const found: { dir: string; stats: Stats }[] = [];
  for (const e of entries.filter((n) => !n.startsWith(".")).sort()) {
    const d = join(dir, e);
    try {
      // stat (not lstat): locally installed plugins may be symlinks, as in Helm.
      const s = statSync(join(d, "plugin.yaml"), { throwIfNoEntry: false });
      if (s?.isFile()) {
        found.push({ dir: d, stats: s });
        continue;
      }
    } catch {
      // ENOTDIR, ELOOP, EACCES: classified below
    }
    const why = strayReason(d);
    if (why)
      problems.push({ kind: "stray", dir: d, message: `skipped ${d}: ${why}, not a plugin directory` });
  }
  return found;
}

/** Why the plugin home entry `path` cannot be a plugin directory (undefined: it is a directory). */
function strayReason(path: string): string | undefined {
  let s: Stats | undefined;
  try {
    s = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    return `it cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`;
  }
  if (!s) return "it is a dangling symlink";
  if (s.isDirectory()) return undefined; // a directory without plugin.yaml: not ours, ignored
  if (s.isFIFO()) return "it is a FIFO";
  if (s.isCharacterDevice() || s.isBlockDevice()) return "it is a device";
  if (s.isSocket()) return "it is a socket";
  return "it is a file";
}

/** Finds and loads every plugin on `pluginPath` (directories searched in order). */
export async function discoverPlugins(
  pluginPath: readonly string[],
  options: DiscoveryOptions = {},
): Promise<Discovery> {
  const strict = options.strict === true;
  const problems: DiscoveryProblem[] = [];
  const dirs = pluginPath.flatMap((p) => pluginDirs(resolve(p), problems));
  const cached = options.cache ? readDiscoveryCache(options.cache) : new Map<string, DiscoveryCacheEntry>();
  const fresh = new Map<string, DiscoveryCacheEntry>();
  let changed = dirs.length !== cached.size;
  const loaded = await Promise.all(
    dirs.map(async ({ dir, stats }) => {
      const hit = cached.get(dir);
      if (cacheEntryValid(hit, stats, strict)) {
        fresh.set(dir, hit!);
        return { dir, plugin: hit!.plugin };
      }
      changed = true;
      try {
        // The YAML parser loads only when some plugin.yaml is not in the cache.
        const { loadManifest } = await import("@capstan/manifest");
        const plugin = await loadManifest(dir, { strict });
        fresh.set(dir, cacheEntry(plugin, stats, strict));
        return { dir, plugin };
      } catch (error) {
        return { dir, error };
      }
    }),
  );
  if (options.cache && changed) writeDiscoveryCache(options.cache, fresh);
  const plugins: LoadedPlugin[] = [];
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
      // An installed (recorded) plugin is never replaced by a directory that merely declares
      // its name, whatever the order: that would run an unverified impostor in its place.
      const takeOver = !recorded(first.dir) && recorded(r.dir);
      const [winner, loser] = takeOver ? [r.plugin, first] : [first, r.plugin];
      problems.push({
        kind: "duplicate",
        dir: loser.dir,
        name,
        shadowedBy: winner.dir,
        message: takeOver
          ? `plugin "${name}" in ${loser.dir} is ignored: ${winner.dir} is the installed plugin of that name`
          : `plugin "${name}" in ${loser.dir} is ignored: ${winner.dir} has the same name and comes first on the plugin path`,
      });
      if (takeOver) {
        byName.set(name, winner);
        plugins[plugins.indexOf(first)] = winner;
      }
      continue;
    }
    byName.set(name, r.plugin);
    plugins.push(r.plugin);
  }
  return { plugins, problems };
}

/** Whether `dir` was installed by capstan (has an install record); checked only on name clashes. */
function recorded(dir: string): boolean {
  return existsSync(join(dir, RECORD_FILE));
}

/** Plugin types as users may write them (`cli`, `getter`, HIP-0026 names) -> normalized type. */
export function normalizePluginType(type: string): PluginType | undefined {
  const t = type.trim().toLowerCase();
  const table: Record<string, PluginType> = {
    cli: "cli/v1",
    "cli/v1": "cli/v1",
    "cli.plugins.helm.sh/v1": "cli/v1",
    getter: "getter/v1",
    download: "getter/v1",
    downloader: "getter/v1",
    "getter/v1": "getter/v1",
    "download.plugins.helm.sh/v1": "getter/v1",
    postrenderer: "postrenderer/v1",
    postrender: "postrenderer/v1",
    "postrenderer/v1": "postrenderer/v1",
    "postrender.plugins.helm.sh/v1": "postrenderer/v1",
  };
  return table[t];
}

/** True when `plugin` can serve as `type` (a legacy getter with a command is also a cli plugin). */
export function pluginHasType(plugin: LoadedPlugin, type: PluginType): boolean {
  return plugin.manifest.type === type || (type === "cli/v1" && plugin.manifest.cli !== undefined);
}

/**
 * The plugin called `name` (optionally of `type`) in a discovery. Throws a RuntimeError: exit 4
 * when no plugin has that name; a broken plugin whose directory is `name` rethrows its error.
 */
export function pickPlugin(discovery: Discovery, name: string, type?: PluginType): LoadedPlugin {
  const plugin = discovery.plugins.find((p) => p.manifest.name === name);
  if (plugin) {
    if (type && !pluginHasType(plugin, type)) {
      throw new RuntimeError(
        "wrong-plugin-type",
        `plugin "${name}" (${plugin.dir}) is a ${plugin.manifest.type} plugin, not ${type}`,
        {
          exitCode: ExitCode.usage,
          hint: `run 'capstan plugin list --type ${type}' to see the ${type} plugins`,
        },
      );
    }
    return plugin;
  }
  const broken = discovery.problems.find((p) => p.kind === "broken" && basename(p.dir) === name);
  if (broken?.error) throw broken.error;
  throw new RuntimeError("plugin-not-found", `no plugin named "${name}" is installed`, {
    exitCode: ExitCode.notFound,
    hint: "run 'capstan plugin list' to see installed plugins, or 'capstan plugin install <source>'",
  });
}

/** Discovers the plugin path and picks `name` (see pickPlugin). */
export async function findPlugin(
  pluginPath: readonly string[],
  name: string,
  options: DiscoveryOptions & { type?: PluginType } = {},
): Promise<LoadedPlugin> {
  return pickPlugin(await discoverPlugins(pluginPath, options), name, options.type);
}
