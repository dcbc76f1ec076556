// `capstan plugin search`: plugins in the cached indexes of all added repositories. A keyword
// matches the plugin name or description (case-insensitive); without --versions only the
// newest stable version of each plugin is listed (the newest prerelease when it has no stable one).
import semver from "semver";
import type { IndexEntry } from "./index-format.js";
import { cachedIndex, listRepositories, type RepoContext } from "./repositories.js";

/** One search hit. */
export interface SearchHit {
  repo: string;
  entry: IndexEntry;
}

/** Options of searchRepositories. */
export interface SearchOptions extends RepoContext {
  keyword?: string;
  /** Normalized type (`cli/v1`...) to keep. */
  type?: string;
  /** Every version, not only the newest. */
  versions?: boolean;
  /** Called for a repository whose cache cannot be read (it is skipped). */
  warn?: (line: string) => void;
}

/** Hits sorted by `repo/name`, newest version first. */
export function searchRepositories(options: SearchOptions): SearchHit[] {
  const keyword = options.keyword?.toLowerCase();
  const hits: SearchHit[] = [];
  for (const repo of listRepositories(options)) {
    let entries: Record<string, IndexEntry[]>;
    try {
      entries = cachedIndex(repo, options).entries;
    } catch (e) {
      options.warn?.(`${(e as Error).message} (skipped)`);
      continue;
    }
    for (const list of Object.values(entries)) {
      const matching = list.filter(
        (e) =>
          (options.type === undefined || e.type === options.type) &&
          (keyword === undefined ||
            e.name.toLowerCase().includes(keyword) ||
            (e.description ?? "").toLowerCase().includes(keyword)),
      );
      const shown = options.versions ? matching : [newest(matching)].filter((e) => e !== undefined);
      for (const entry of shown) hits.push({ repo: repo.name, entry });
    }
  }
  return hits.sort(
    (a, b) =>
      `${a.repo}/${a.entry.name}`.localeCompare(`${b.repo}/${b.entry.name}`) ||
      semver.rcompare(a.entry.version, b.entry.version),
  );
}

/** The newest stable version, else the newest prerelease; `list` is sorted newest first. */
export function newest(list: readonly IndexEntry[]): IndexEntry | undefined {
  return list.find((e) => semver.prerelease(e.version) === null) ?? list[0];
}
