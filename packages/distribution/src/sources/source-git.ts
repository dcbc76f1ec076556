// A plugin in a git repository. `--version` is a SemVer constraint over the repository's tags
// (a leading `v` is allowed in tag names); without it the highest SemVer tag is used, and a
// repository without SemVer tags installs its default branch. With verification on (the
// default) the selected tag must be an annotated tag signed by a key in the keyring.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import type { Keyring } from "@capstan/signing";
import semver from "semver";
import { InstallError } from "../errors.js";
import type { FetchedTree } from "./fetched.js";
import { git } from "./git-command.js";
import { verifyTagSignature } from "./git-tag-signature.js";

/** Options of fetchGit. */
export interface GitFetchOptions {
  /** SemVer constraint over tags, e.g. `^1.2` or `1.4.0`. */
  version?: string;
  /** Keyring to check the tag signature with; undefined skips verification. */
  keyring?: Keyring;
}

/** Picks the tag for a constraint: highest SemVer tag satisfying it. */
export async function selectGitTag(url: string, constraint: string | undefined): Promise<string | undefined> {
  const out = await git(["ls-remote", "--tags", "--refs", "--", url], `git ls-remote ${url}`);
  const byVersion = new Map<string, string>();
  for (const line of out.split("\n")) {
    const tag = /\trefs\/tags\/(.+)$/.exec(line)?.[1];
    const v = tag === undefined ? null : semver.valid(tag.replace(/^v/, ""));
    if (tag && v && !byVersion.has(v)) byVersion.set(v, tag);
  }
  const versions = [...byVersion.keys()];
  if (constraint === undefined) {
    const best = semver.rsort(versions.filter((v) => semver.prerelease(v) === null))[0];
    return best === undefined ? undefined : byVersion.get(best);
  }
  if (semver.validRange(constraint) === null) {
    throw new InstallError("INSTALL_BAD_VERSION", `--version ${constraint} is not a SemVer constraint`, {
      hint: "use a version or range such as 1.2.3, ^1.2 or >=1.0.0 <2",
      exitCode: ExitCode.usage,
    });
  }
  const best = semver.maxSatisfying(versions, constraint);
  if (best === null) {
    throw new InstallError(
      "INSTALL_VERSION_NOT_FOUND",
      `${url}: no tag satisfies ${constraint} (tags: ${versions.join(", ") || "none"})`,
      {
        hint: "pick one of the listed versions with --version",
        exitCode: ExitCode.notFound,
      },
    );
  }
  return byVersion.get(best);
}

/** Clones the selected tag (shallow) into a temporary directory and checks its signature. */
export async function fetchGit(source: string, options: GitFetchOptions): Promise<FetchedTree> {
  const url = source.replace(/^git\+/, "");
  const tag = await selectGitTag(url, options.version);
  if (options.keyring && tag === undefined) {
    throw new InstallError("GIT_TAG_UNVERIFIED", `${source}: no SemVer release tag to verify`, {
      hint: "tag releases with a signed tag (`git tag -s v1.0.0`), or pass --verify=false to install the default branch (unsafe)",
      exitCode: ExitCode.verification,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "capstan-git-"));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const args = ["-c", "advice.detachedHead=false", "clone", "--quiet", "--depth", "1"];
    if (tag !== undefined) args.push("--branch", tag);
    await git([...args, "--", url, dir], `git clone ${url}`);
    const commit = (await git(["rev-parse", "HEAD"], "git rev-parse", { cwd: dir })).trim();
    let signature: FetchedTree["signature"];
    if (options.keyring && tag !== undefined) {
      const tagged = (
        await git(["rev-parse", `refs/tags/${tag}^{commit}`], "git rev-parse tag", { cwd: dir })
      ).trim();
      if (tagged !== commit) {
        throw new InstallError(
          "GIT_TAG_UNVERIFIED",
          `${source}: tag ${tag} does not point at the checked-out commit`,
          {
            hint: "the tag moved during the clone; retry `capstan plugin install`",
            exitCode: ExitCode.verification,
          },
        );
      }
      signature = await verifyTagSignature(dir, tag, options.keyring, source);
    }
    return {
      kind: "git",
      source,
      dir,
      commit,
      cleanup,
      ...(tag ? { tag } : {}),
      ...(signature ? { signature } : {}),
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}
