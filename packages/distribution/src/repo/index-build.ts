// `capstan plugin repo index <dir>`: index.yaml for a directory of packaged plugins (and an
// artifacthub-pkg.yml per version). Every tarball is read through the installer's archive
// checks and its plugin.yaml parsed, so an index never lists something that would not install.
// `created` is kept from the previous index (the one in <dir> or --merge) for a tarball whose
// digest is unchanged, so re-indexing does not make every version look new.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ExitCode } from "@capstan/manifest";
import semver from "semver";
import { stringify } from "yaml";
import { readArchive } from "../archive/extract.js";
import { type ArchiveLimits, archiveLimits } from "../archive/limits.js";
import { InstallError } from "../errors.js";
import { archiveManifest } from "../install/plugin-root.js";
import { versionToTag } from "../oci/oci-reference.js";
import { artifactHubPackage, type PublisherInfo } from "./artifacthub.js";
import { type IndexEntry, indexLimits, type PluginIndex, parseIndex, urlOrigin } from "./index-format.js";
import { INDEX_PROV } from "./index-signature.js";
import { readmeSummary } from "./readme-summary.js";
import { writeAtomic } from "./write-atomic.js";

/** Options of buildRepoIndex. */
export interface RepoIndexOptions extends PublisherInfo {
  /** Base URL the tarballs are served at; default: URLs relative to index.yaml. */
  url?: string;
  /**
   * `oci://registry/path`: the tarballs are pushed there (`capstan plugin push <tgz>
   * oci://registry/path`), so entries point at `oci://registry/path/<name>:<version>` and the
   * registry is listed in `externalOrigins`. The local tarballs still give the digests.
   */
  oci?: string;
  /** An older index.yaml whose entries are kept (and whose `created` times are reused). */
  merge?: string;
  /** Origins outside the repository that merged entries point at. */
  externalOrigins?: string[];
  limits?: ArchiveLimits;
  /** Environment for the caps (CAPSTAN_MAX_ARCHIVE_BYTES...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Clock for `created`/`generated` (tests). */
  now?: Date;
}

/** What was indexed. */
export interface RepoIndexResult {
  file: string;
  index: PluginIndex;
  /** Versions found in <dir> (name-version). */
  indexed: string[];
  artifactHubFiles: string[];
}

/** Writes `<dir>/index.yaml` and the Artifact Hub files; returns the index. */
export function buildRepoIndex(dir: string, options: RepoIndexOptions = {}): RepoIndexResult {
  const now = (options.now ?? new Date()).toISOString();
  const limits = options.limits ?? archiveLimits(options.env);
  const file = join(dir, "index.yaml");
  const read = (f: string) =>
    parseIndex(readFileSync(f, "utf8"), f, options.url ?? "http://localhost/", indexLimits(options.env));
  const merged = options.merge ? read(options.merge) : undefined;
  // The index already in <dir> only supplies `created` times: one that no longer parses (say,
  // written with another --url) is replaced rather than blocking the re-index.
  let own: PluginIndex | undefined;
  try {
    own = existsSync(file) ? read(file) : undefined;
  } catch {
    own = undefined;
  }
  const previous = [merged, own].filter((p): p is PluginIndex => p !== undefined);
  const before = new Map<string, IndexEntry>();
  for (const idx of previous)
    for (const list of Object.values(idx.entries))
      for (const e of list) before.set(`${e.name}@${e.version}`, e);
  const entries = new Map<string, IndexEntry>();
  // --merge keeps the old index's versions.
  if (merged)
    for (const list of Object.values(merged.entries))
      for (const e of list) entries.set(`${e.name}@${e.version}`, e);
  const indexed: string[] = [];
  for (const path of tarballs(dir)) {
    const bytes = readFileSync(path);
    const rel = relative(dir, path).split("\\").join("/");
    const members = readArchive(bytes, path, limits);
    const { manifest, root } = archiveManifest(members, path);
    const key = `${manifest.name}@${manifest.version}`;
    if (indexed.includes(key)) {
      throw new InstallError(
        "REPO_INDEX_INVALID",
        `${path}: ${manifest.name} ${manifest.version} is in two tarballs`,
        {
          hint: "keep one tarball per plugin version in the repository directory",
          exitCode: ExitCode.usage,
        },
      );
    }
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    const old = before.get(key);
    const raw = manifest.raw as { description?: unknown; usage?: unknown; config?: { shortHelp?: unknown } };
    const description =
      ([raw.description, raw.usage, raw.config?.shortHelp].find((d) => typeof d === "string") as
        | string
        | undefined) ?? readmeSummary(members, root);
    entries.set(key, {
      name: manifest.name,
      version: manifest.version,
      type: manifest.type,
      apiVersion: manifest.apiVersion,
      runtime: manifest.runtime,
      ...(description ? { description } : {}),
      ...(manifest.sourceURL ? { sourceURL: manifest.sourceURL } : {}),
      digest,
      urls: [entryUrl(rel, manifest.name, manifest.version, options)],
      provenance: existsSync(`${path}.prov`),
      created: old?.digest === digest && old.created ? old.created : now,
    });
    indexed.push(key);
  }
  const byName: Record<string, IndexEntry[]> = {};
  for (const e of [...entries.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || semver.rcompare(a.version, b.version),
  )) {
    const list = byName[e.name] ?? [];
    list.push(e);
    byName[e.name] = list;
  }
  const origins = [
    ...(options.externalOrigins ?? []),
    ...(options.oci ? [urlOrigin(options.oci)] : []),
    ...(merged?.externalOrigins ?? []),
  ];
  const index: PluginIndex = {
    apiVersion: "v1",
    kind: "PluginRepositoryIndex",
    generated: now,
    ...(origins.length > 0 ? { externalOrigins: [...new Set(origins)] } : {}),
    entries: byName,
  };
  writeAtomic(
    file,
    `# Plugin repository index; generated by \`capstan plugin repo index\`.\n${stringify(index)}`,
  );
  // A signature of the previous index would not match this one: `--sign` writes a new one.
  rmSync(join(dir, INDEX_PROV), { force: true });
  const artifactHubFiles: string[] = [];
  const repoUrl = options.repoUrl ?? options.url;
  for (const key of indexed) {
    const e = entries.get(key)!;
    const out = join(dir, e.name, e.version, "artifacthub-pkg.yml");
    mkdirSync(join(out, ".."), { recursive: true });
    writeAtomic(out, artifactHubPackage(e, { ...options, ...(repoUrl ? { repoUrl } : {}) }));
    artifactHubFiles.push(out);
  }
  return { file, index, indexed, artifactHubFiles };
}

/** The URL of one tarball: under --oci, under --url, or relative to index.yaml. */
function entryUrl(rel: string, name: string, version: string, options: RepoIndexOptions): string {
  if (options.oci) return `${options.oci.replace(/\/+$/, "")}/${name}:${versionToTag(version)}`;
  return options.url ? `${options.url.replace(/\/+$/, "")}/${rel}` : rel;
}

/** `*.tgz` in `dir` and one directory down, sorted. */
function tarballs(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith(".tgz") && statSync(path).isFile()) found.push(path);
    else if (!name.startsWith(".") && statSync(path).isDirectory()) {
      for (const inner of readdirSync(path).sort())
        if (inner.endsWith(".tgz") && statSync(join(path, inner)).isFile()) found.push(join(path, inner));
    }
  }
  return found;
}
