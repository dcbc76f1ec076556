// Installing `<repo>/<plugin>`: pick the version in the repository's cached index (the newest
// stable one, or the newest satisfying --version), download the tarball the entry names (http
// or oci://) and check it against the index digest before anything else reads it. The .prov
// signature is then checked by the installer like for every other source: the index says which
// bytes, the signature says who made them.
import { createHash } from "node:crypto";
import type { RepositoryRecord } from "@capstan/host";
import { ExitCode } from "@capstan/manifest";
import semver from "semver";
import { InstallError } from "../errors.js";
import type { FetchedArchive } from "../sources/fetched.js";
import { fetchOci } from "../sources/source-oci.js";
import { type IndexEntry, resolveEntryUrl, urlOrigin } from "./index-format.js";
import { findRepo, type RepoConfigEntry, readRepoConfig } from "./repo-config.js";
import { repoGet } from "./repo-http.js";
import type { RepoRef } from "./repo-name.js";
import { newest } from "./repo-search.js";
import { cachedIndex, type RepoContext } from "./repositories.js";

/** A version picked from an index. */
export interface ResolvedEntry {
  repo: RepoConfigEntry;
  entry: IndexEntry;
  /** Where the tarball is, resolved against the repository URL. */
  url: string;
}

/** Picks the version of `ref` for `constraint` (default: newest stable) from the cached index. */
export function resolveRepoPlugin(
  ref: RepoRef,
  constraint: string | undefined,
  context: RepoContext,
): ResolvedEntry {
  const repo = findRepo(readRepoConfig(context.settings.pluginRepositoryConfig), ref.repo);
  const versions = cachedIndex(repo, context).entries[ref.plugin] ?? [];
  if (versions.length === 0) {
    throw new InstallError("REPO_PLUGIN_NOT_FOUND", `repository ${repo.name} has no plugin ${ref.plugin}`, {
      hint: `see what it has: \`capstan plugin search\`; refresh it: \`capstan plugin repo update ${repo.name}\``,
      exitCode: ExitCode.notFound,
    });
  }
  if (constraint !== undefined && semver.validRange(constraint) === null) {
    throw new InstallError(
      "INSTALL_BAD_VERSION",
      `--version ${constraint} is not a SemVer version or range`,
      {
        hint: "use a version or range such as 1.2.3, ^1.2 or >=1.0.0 <2",
        exitCode: ExitCode.usage,
      },
    );
  }
  const entry =
    constraint === undefined
      ? newest(versions)
      : versions.find((e) =>
          semver.satisfies(e.version, constraint, { includePrerelease: semver.valid(constraint) !== null }),
        );
  if (entry === undefined) {
    throw new InstallError(
      "INSTALL_VERSION_NOT_FOUND",
      `repository ${repo.name}: no version of ${ref.plugin} satisfies ${constraint} (versions: ${versions.map((e) => e.version).join(", ")})`,
      { hint: "pick one of the listed versions with --version", exitCode: ExitCode.notFound },
    );
  }
  return { repo, entry, url: resolveEntryUrl(repo.url, entry.urls[0]!) };
}

/** Registry flags the user gave (used for oci:// entries at another host than the repository). */
interface RepoFetchOptions extends RepoContext {
  maxBytes: number;
  plainHttp?: boolean;
  username?: string;
  password?: string;
}

/** Downloads the entry's tarball (and .prov) and checks the index digest. */
export async function fetchRepoEntry(
  resolved: ResolvedEntry,
  options: RepoFetchOptions,
): Promise<FetchedArchive> {
  const { repo, entry, url } = resolved;
  const repository: RepositoryRecord = { name: repo.name, plugin: entry.name, url: repo.url };
  let fetched: FetchedArchive;
  if (url.startsWith("oci://")) {
    // The repository's credentials go to a registry only when it is the repository's own host.
    const ownHost = new URL(repo.url).host === urlOrigin(url).slice("oci://".length);
    const username = options.username ?? (ownHost ? repo.username : undefined);
    const password = options.password ?? (ownHost ? repo.password : undefined);
    fetched = await fetchOci(url, {
      maxBytes: options.maxBytes,
      ...(options.plainHttp ? { plainHttp: true } : {}),
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    });
    checkDigest(resolved, fetched.bytes);
  } else {
    const what = `${entry.name} ${entry.version} (${url})`;
    const res = await repoGet(repo, url, {
      maxBytes: options.maxBytes,
      what,
      ...(options.env ? { env: options.env } : {}),
    });
    if (res.status !== 200) {
      throw new InstallError(
        "INSTALL_DOWNLOAD_FAILED",
        `repository ${repo.name}: ${what}: HTTP ${res.status}`,
        {
          hint: `the index lists a tarball the repository does not serve; refresh it: \`capstan plugin repo update ${repo.name}\``,
          exitCode: res.status === 404 ? ExitCode.notFound : ExitCode.failure,
        },
      );
    }
    checkDigest(resolved, res.body);
    const provUrl = `${url}.prov`;
    const prov = await repoGet(repo, provUrl, {
      maxBytes: 1024 * 1024,
      what: `${entry.name} ${entry.version} .prov`,
      ...(options.env ? { env: options.env } : {}),
    });
    if (prov.status !== 200 && prov.status !== 404) {
      throw new InstallError(
        "INSTALL_DOWNLOAD_FAILED",
        `repository ${repo.name}: ${provUrl}: HTTP ${prov.status}`,
        {
          hint: "the provenance file could not be downloaded; retry, or pass --verify=false to skip verification (unsafe)",
        },
      );
    }
    fetched = {
      kind: "http",
      source: url,
      fileName: decodeURIComponent(new URL(res.url).pathname.split("/").pop() ?? ""),
      bytes: res.body,
      prov: prov.status === 200 ? prov.body.toString("utf8") : undefined,
      provLabel: provUrl,
    };
  }
  return { ...fetched, repository };
}

function checkDigest({ repo, entry, url }: ResolvedEntry, bytes: Uint8Array): void {
  const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  if (actual !== entry.digest) {
    throw new InstallError(
      "REPO_DIGEST_MISMATCH",
      `repository ${repo.name}: entry ${entry.name} ${entry.version}: ${url} has digest ${actual}, the index says ${entry.digest}`,
      {
        hint: `the tarball or the index was changed after indexing; nothing was installed. Tell the repository owner, or refresh: \`capstan plugin repo update ${repo.name}\``,
        exitCode: ExitCode.verification,
      },
    );
  }
}
