// Adding, updating, listing and removing plugin repositories, and reading their cached indexes.
// An index is fetched, checked in full (index-format.ts) and only then written to the cache,
// so a refused or unreachable index leaves the previous cached one untouched. `repo add`
// fetches before it writes the repository list: a repository that cannot be read is not added.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultKeyringPath, type HostSettings } from "@capstan/host";
import { type CapstanError, ExitCode, isCapstanError } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import { indexLimits, type PluginIndex, parseIndex } from "./index-format.js";
import { INDEX_PROV, type IndexSigner, verifyIndexSignature } from "./index-signature.js";
import { findRepo, type RepoConfigEntry, readRepoConfig, writeRepoConfig } from "./repo-config.js";
import { repoGet } from "./repo-http.js";
import { checkRepoName } from "./repo-name.js";
import { writeAtomic } from "./write-atomic.js";

/** Where repositories are configured and cached, and the environment (caps, timeouts). */
export interface RepoContext {
  settings: HostSettings;
  env?: NodeJS.ProcessEnv;
  /** Public keyring(s) for signed indexes; default {@link defaultKeyringPath}. */
  keyring?: string | readonly string[];
}

/** Cache file of one repository's index (Helm's `<name>-index.yaml`). */
export function indexCacheFile(settings: HostSettings, name: string): string {
  return join(settings.pluginRepositoryCache, `${checkRepoName(name)}-index.yaml`);
}

/** A fetched and checked index. */
interface FetchedIndex {
  text: string;
  index: PluginIndex;
  /** Who signed it (index.yaml.prov), when signed. */
  signer?: IndexSigner;
}

/**
 * Downloads `<url>/index.yaml` and `index.yaml.prov`, checks the signature (when there is one,
 * or the repository is pinned to a signer) and then the index itself; nothing is written.
 */
async function fetchIndex(
  repo: RepoConfigEntry,
  context: RepoContext,
  cachedGenerated?: string,
): Promise<FetchedIndex> {
  const env = context.env ?? process.env;
  const limits = indexLimits(env);
  const res = await repoGet(repo, `${repo.url}/index.yaml`, {
    maxBytes: limits.maxBytes,
    what: "index.yaml",
    env,
  });
  if (res.status !== 200) {
    throw new InstallError(
      "REPO_UNREACHABLE",
      `repository ${repo.name}: ${repo.url}/index.yaml: HTTP ${res.status}`,
      {
        hint:
          res.status === 401 || res.status === 403
            ? `the repository wants credentials: \`capstan plugin repo add ${repo.name} ${repo.url} --username <u> --password <p> --force-update\``
            : "check the URL; a plugin repository serves index.yaml (`capstan plugin repo index <dir>`)",
        exitCode: res.status === 404 ? ExitCode.notFound : ExitCode.failure,
      },
    );
  }
  const text = res.body.toString("utf8");
  const provUrl = `${repo.url}/${INDEX_PROV}`;
  const prov = await repoGet(repo, provUrl, { maxBytes: 1024 * 1024, what: INDEX_PROV, env });
  if (prov.status !== 200 && prov.status !== 404) {
    throw new InstallError("REPO_UNREACHABLE", `repository ${repo.name}: ${provUrl}: HTTP ${prov.status}`, {
      hint: "the index signature could not be downloaded; retry later",
    });
  }
  const { index, signer } = await verifyIndexSignature({
    repo,
    text,
    provText: prov.status === 200 ? prov.body.toString("utf8") : undefined,
    provLabel: provUrl,
    keyring: async () => {
      const { loadKeyring } = await import("@capstan/signing");
      return loadKeyring(context.keyring ?? defaultKeyringPath(env));
    },
    parse: () => parseIndex(text, repo.name, repo.url, limits),
    cachedGenerated,
  });
  return { text, index, ...(signer ? { signer } : {}) };
}

/** Options of addRepository. */
export interface AddRepoOptions extends RepoContext {
  /** Replace an existing repository of the same name (Helm's --force-update). */
  forceUpdate?: boolean;
}

/** Adds a repository after fetching and checking its index. */
export async function addRepository(
  entry: RepoConfigEntry,
  options: AddRepoOptions,
): Promise<{ repo: RepoConfigEntry; index: PluginIndex; signer?: IndexSigner }> {
  checkRepoName(entry.name);
  let url: URL;
  try {
    url = new URL(entry.url);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("scheme");
  } catch {
    throw new InstallError("REPO_BAD_NAME", `repository ${entry.name}: ${entry.url} is not an http(s) URL`, {
      hint: "give the URL the repository's index.yaml is served under, e.g. https://example.com/plugins",
      exitCode: ExitCode.usage,
    });
  }
  if (url.username || url.password) {
    throw new InstallError(
      "REPO_BAD_NAME",
      `repository ${entry.name}: put credentials in --username/--password, not in the URL`,
      {
        hint: `\`capstan plugin repo add ${entry.name} ${url.origin}${url.pathname} --username <u> --password <p>\``,
        exitCode: ExitCode.usage,
      },
    );
  }
  // A new (or replaced) repository starts unpinned; a signed index pins its signer below.
  const { indexSigner: _, ...rest } = entry;
  let repo: RepoConfigEntry = { ...rest, url: `${url.origin}${url.pathname}`.replace(/\/+$/, "") };
  const file = options.settings.pluginRepositoryConfig;
  const config = readRepoConfig(file);
  const existing = config.repositories.find((r) => r.name === repo.name);
  if (existing && !options.forceUpdate) {
    throw new InstallError("REPO_EXISTS", `repository ${repo.name} is already added (${existing.url})`, {
      hint: `replace it with \`capstan plugin repo add ${repo.name} <url> --force-update\`, or pick another name`,
    });
  }
  const { text, index, signer } = await fetchIndex(repo, options);
  if (signer) repo = { ...repo, indexSigner: signer.fingerprint };
  writeAtomic(indexCacheFile(options.settings, repo.name), text);
  writeRepoConfig(file, {
    ...config,
    repositories: [...config.repositories.filter((r) => r.name !== repo.name), repo].sort((a, b) =>
      a.name.localeCompare(b.name),
    ),
  });
  return { repo, index, ...(signer ? { signer } : {}) };
}

/** Result of updating one repository. */
export type RepoUpdateResult =
  | { name: string; ok: true; plugins: number; versions: number; signer?: IndexSigner }
  | { name: string; ok: false; error: CapstanError; keptCache: boolean };

/** Fetches the index of each named repository (default all) into the cache. */
export async function updateRepositories(
  names: readonly string[] | undefined,
  context: RepoContext,
): Promise<RepoUpdateResult[]> {
  const config = readRepoConfig(context.settings.pluginRepositoryConfig);
  const repos = names && names.length > 0 ? names.map((n) => findRepo(config, n)) : config.repositories;
  const results: RepoUpdateResult[] = [];
  for (const repo of repos) {
    try {
      const cached = cachedGenerated(repo, context);
      const { text, index, signer } = await fetchIndex(repo, context, cached);
      writeAtomic(indexCacheFile(context.settings, repo.name), text);
      if (signer && repo.indexSigner === undefined) pinSigner(context, repo.name, signer.fingerprint);
      const lists = Object.values(index.entries);
      results.push({
        name: repo.name,
        ok: true,
        plugins: lists.length,
        versions: lists.flat().length,
        ...(signer ? { signer } : {}),
      });
    } catch (e) {
      if (!isCapstanError(e)) throw e;
      results.push({
        name: repo.name,
        ok: false,
        error: e,
        keptCache: existsSync(indexCacheFile(context.settings, repo.name)),
      });
    }
  }
  return results;
}

/** `generated` of the cached index, or undefined when there is none or it no longer parses. */
function cachedGenerated(repo: RepoConfigEntry, context: RepoContext): string | undefined {
  try {
    return cachedIndex(repo, context).generated;
  } catch {
    return undefined;
  }
}

/** Records the signer of a repository's index (first seen signed: trust on first use). */
function pinSigner(context: RepoContext, name: string, fingerprint: string): void {
  const file = context.settings.pluginRepositoryConfig;
  const config = readRepoConfig(file);
  writeRepoConfig(file, {
    ...config,
    repositories: config.repositories.map((r) => (r.name === name ? { ...r, indexSigner: fingerprint } : r)),
  });
}

/** Removes a repository and its cached index; installed plugins stay. */
export function removeRepository(name: string, context: RepoContext): RepoConfigEntry {
  const file = context.settings.pluginRepositoryConfig;
  const config = readRepoConfig(file);
  const repo = findRepo(config, name);
  writeRepoConfig(file, { ...config, repositories: config.repositories.filter((r) => r.name !== name) });
  rmSync(indexCacheFile(context.settings, name), { force: true });
  return repo;
}

/** The added repositories. */
export function listRepositories(context: RepoContext): RepoConfigEntry[] {
  return readRepoConfig(context.settings.pluginRepositoryConfig).repositories;
}

/** The cached index of `repo`, checked again (the cache is a file anyone with access can edit). */
export function cachedIndex(repo: RepoConfigEntry, context: RepoContext): PluginIndex {
  const file = indexCacheFile(context.settings, repo.name);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InstallError("REPO_INDEX_MISSING", `repository ${repo.name} has no cached index (${file})`, {
      hint: `fetch it: \`capstan plugin repo update ${repo.name}\``,
      exitCode: ExitCode.notFound,
    });
  }
  return parseIndex(text, repo.name, repo.url, indexLimits(context.env));
}
