// `capstan plugin package`: a plugin directory -> <name>-<version>.tgz (+ .prov when signed),
// less what its .helmignore leaves out.
// The bytes depend only on the files' names, contents and execute bits (and
// SOURCE_DATE_EPOCH), so two packagings of the same tree are identical and a signature over
// one digest is reproducible.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ExitCode, type LoadedPlugin, loadManifest } from "@capstan/manifest";
import { deterministicGzip } from "../archive/gzip.js";
import { type ArchiveLimits, archiveLimits, exceededLimit } from "../archive/limits.js";
import { writeTar } from "../archive/tar-writer.js";
import { InstallError } from "../errors.js";
import { collectFiles } from "./collect-files.js";
import { readHelmignore } from "./helmignore.js";

/** An in-memory plugin archive. */
export interface PluginArchive {
  loaded: LoadedPlugin;
  /** `<name>-<version>.tgz` */
  fileName: string;
  bytes: Buffer;
  /** `sha256:<hex>` of `bytes`. */
  hash: string;
  /** The packed files (paths relative to the plugin directory, sorted) and their sizes in bytes. */
  files: { path: string; size: number }[];
  /** The .helmignore applied; undefined when the directory has none (every file is packed). */
  ignoreFile: string | undefined;
}

/** Builds the deterministic archive of the plugin in `dir` (validated with loadManifest first). */
export async function buildPluginArchive(
  dir: string,
  options: { mtime?: number; limits?: ArchiveLimits; env?: NodeJS.ProcessEnv } = {},
): Promise<PluginArchive> {
  const env = options.env ?? process.env;
  const loaded = await loadManifest(resolve(dir));
  const { name, version } = loaded.manifest;
  const limits = options.limits ?? archiveLimits(env);
  // Earlier packages written into the plugin directory itself (`-d .`) are not part of it.
  const ownArchive = new RegExp(`^${name}/${name}-[^/]+\\.tgz(\\.prov)?$`);
  const rules = readHelmignore(loaded.dir);
  if (rules?.ignores("plugin.yaml", false) === true) {
    throw new InstallError("PACKAGE_UNSUPPORTED_FILE", `${rules.file} leaves out plugin.yaml`, {
      hint: "an archive without plugin.yaml cannot be installed: remove the pattern matching it (or add `!plugin.yaml`)",
      exitCode: ExitCode.usage,
    });
  }
  const entries = collectFiles(
    loaded.dir,
    name,
    rules === undefined ? {} : { ignores: rules.ignores },
  ).filter((e) => !ownArchive.test(e.path));
  const exceeded = exceededLimit(entries, limits);
  if (exceeded !== undefined) {
    throw new InstallError("PACKAGE_TOO_LARGE", `${loaded.dir}: ${exceeded}; installers would refuse it`, {
      hint: "remove or shrink files, or raise the cap named above (docs/distribution.md)",
      exitCode: ExitCode.failure,
    });
  }
  const mtime = options.mtime ?? sourceDateEpoch(env);
  const bytes = deterministicGzip(writeTar(entries, mtime));
  return {
    loaded,
    fileName: `${name}-${version}.tgz`,
    bytes,
    hash: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
    files: entries.flatMap((e) =>
      e.type === "file" ? [{ path: e.path.slice(name.length + 1), size: e.data?.length ?? 0 }] : [],
    ),
    ignoreFile: rules?.file,
  };
}

/** Writes `<outDir>/<name>-<version>.tgz` and returns its path and the archive. */
export async function packagePlugin(
  dir: string,
  options: { outDir?: string; mtime?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<PluginArchive & { path: string }> {
  const archive = await buildPluginArchive(dir, options);
  return writePluginArchive(archive, options.outDir ?? ".");
}

/**
 * Writes a built archive as `<outDir>/<fileName>` (and `<fileName>.prov` when `prov` is given);
 * callers that sign build and sign first, so a failed signature writes nothing.
 */
export function writePluginArchive(
  archive: PluginArchive,
  outDir: string,
  prov?: string,
): PluginArchive & { path: string } {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, archive.fileName);
  writeFileSync(path, archive.bytes);
  if (prov !== undefined) writeFileSync(`${path}.prov`, prov);
  return { ...archive, path };
}

function sourceDateEpoch(env: NodeJS.ProcessEnv): number {
  const n = Number(env.SOURCE_DATE_EPOCH);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
