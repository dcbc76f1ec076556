// `capstan plugin install` and `update`: fetch, verify, stage, swap, hook. Verification runs
// on the fetched bytes before anything is written into the plugin home; hooks run only after
// the verified tree is in place, and a failing hook rolls the swap back.
import { existsSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  defaultKeyringPath,
  type HookEvent,
  type HostSettings,
  type InstallRecord,
  installRecordFor,
  missingPluginWasm,
  PLUGIN_WASM_FILE,
  PLUGIN_WASM_HINT,
  type ProvenanceRecord,
  pluginHome,
  RECORD_FILE,
  RECORD_PROV_FILE,
  type RepositoryRecord,
  resolveSettings,
  runHook,
  type SourceKind,
  type StreamMode,
} from "@capstan/host";
import { ExitCode, type LoadedPlugin, loadManifest, type PluginManifest } from "@capstan/manifest";
import type { ExpectedPlugin, Keyring, VerifyResult } from "@capstan/signing";
import semver from "semver";
import { type ArchiveMember, readArchive, writeMembers } from "../archive/extract.js";
import { type ArchiveLimits, archiveLimits, exceededLimit } from "../archive/limits.js";
import { InstallError } from "../errors.js";
import { collectFiles } from "../package/collect-files.js";
import { parseRepoRef, type RepoRef, splitRepoRef } from "../repo/repo-name.js";
import { fetchRepoEntry, type ResolvedEntry, resolveRepoPlugin } from "../repo/repo-source.js";
import { updateRepositories } from "../repo/repositories.js";
import { type DownloadTimeouts, deadlineSignal } from "../sources/download-timer.js";
import type { Fetched, FetchedArchive } from "../sources/fetched.js";
import { fetchGit } from "../sources/source-git.js";
import { fetchHttp } from "../sources/source-http.js";
import { sourceKind } from "../sources/source-kind.js";
import { fetchOci } from "../sources/source-oci.js";
import { fetchTgz } from "../sources/source-tgz.js";
import { withInstallLock } from "./install-lock.js";
import { type PluginGrants, pluginGrants, widenedGrants } from "./plugin-grants.js";
import { archiveManifest } from "./plugin-root.js";
import { makeStaging, pluginPathIn, recoverHome, swapIntoPlace } from "./plugin-store.js";
import { sha256Hex, writeInstallRecord } from "./write-install-record.js";

/** Options of install and update. */
export interface InstallOptions extends DownloadTimeouts {
  /** Host settings; default from `env`. The plugin home is the first plugin path entry. */
  settings?: HostSettings;
  env?: NodeJS.ProcessEnv;
  /** Version or SemVer constraint (git tags, OCI tags). */
  version?: string;
  /** Verify provenance (default true). Local directories are never verified. */
  verify?: boolean;
  /** Keyring file(s)/dir(s); default {@link defaultKeyringPath}. */
  keyring?: string | readonly string[];
  /** OCI: http instead of https. */
  plainHttp?: boolean;
  /** OCI registry credentials. */
  username?: string;
  password?: string;
  limits?: ArchiveLimits;
  /** Run install/update hooks (default true). */
  hooks?: boolean;
  /** Where hook output goes (default "inherit"). */
  hookOutput?: StreamMode;
  /** Progress and warnings, one line each. */
  log?: (line: string) => void;
  /** Called with the plugin's grants (and, on update, what widened) before it is enabled. */
  onGrants?: (grants: PluginGrants, widened: readonly string[]) => void;
  /** Update: allow grants wider than the installed version's (`--accept-grants`). */
  acceptGrants?: boolean;
  /** Update: asked when grants widen and acceptGrants is not set (an interactive yes). */
  confirmGrants?: (widened: readonly string[]) => Promise<boolean>;
}

/** What was installed. */
export interface InstallResult {
  name: string;
  version: string;
  /** `<home>/<name>` */
  dir: string;
  kind: SourceKind;
  source: string;
  provenance: ProvenanceRecord | null;
  /** A local directory linked in development mode. */
  linked: boolean;
  /** Version replaced by an update. */
  previousVersion?: string;
  /** Whether an install/update hook ran. */
  hookRan: boolean;
  /** The repository entry it was installed through (`<repo>/<plugin>`). */
  repository?: RepositoryRecord;
  /** What the plugin may do. */
  grants: PluginGrants;
  /** Update: grants beyond the previous version's (accepted). */
  widened: string[];
}

interface Staged {
  pluginDir: string;
  loaded: LoadedPlugin;
  record: InstallRecord;
  prov?: string;
}

/**
 * Installs a plugin from a directory, .tgz, http(s) URL, git URL, oci:// reference, or
 * `<repo>/<plugin>` (an added plugin repository; a local path of that shape wins).
 */
export async function installPlugin(source: string, options: InstallOptions = {}): Promise<InstallResult> {
  if (source.trim() === "") {
    // `capstan plugin install "$UNSET"` would otherwise resolve "" to the current directory.
    throw new InstallError("INSTALL_BAD_SOURCE", "the plugin source is empty", {
      hint: "give a plugin directory (`.` for the current one), a .tgz, a URL or an oci:// reference",
      exitCode: ExitCode.usage,
    });
  }
  const repo = existsSync(resolve(source)) ? undefined : splitRepoRef(source);
  // An install never reports "up to date": that result exists only for updates.
  if (repo)
    return (await run(source, "repo", options, {
      mode: "install",
      repo: parseRepoRef(source),
    })) as InstallResult;
  return (await run(source, sourceKind(source), options, { mode: "install" })) as InstallResult;
}

/** Options of update. */
export interface UpdateOptions extends InstallOptions {
  /** Allow installing a lower version than the installed one. */
  force?: boolean;
  /** `<repo>/<plugin>`: update through this repository from now on (e.g. a plugin installed from a URL). */
  from?: string;
}

/** Result of update: an install result, or the plugin was already at the newest version. */
export type UpdateResult =
  | InstallResult
  | { name: string; version: string; upToDate: true; kind: SourceKind };

/** Fetches the plugin again from the source recorded at install, verifies and replaces it. */
export async function updatePlugin(name: string, options: UpdateOptions = {}): Promise<UpdateResult> {
  const settings = options.settings ?? resolveSettings(options.env ?? process.env);
  const home = pluginHome(settings);
  const dir = pluginPathIn(home, name);
  let record: InstallRecord | undefined;
  let installed: LoadedPlugin;
  try {
    installed = await loadManifest(dir);
  } catch (e) {
    throw new InstallError("PLUGIN_NOT_INSTALLED", `plugin ${name} is not installed in ${home}`, {
      hint: "see installed plugins with `capstan plugin list`",
      exitCode: ExitCode.notFound,
      cause: e,
    });
  }
  try {
    record = installRecordFor(dir);
  } catch (e) {
    throw new InstallError(
      "INSTALL_RECORD_INVALID",
      `${dir}: unreadable install record: ${(e as Error).message}`,
      {
        hint: `reinstall it: \`capstan plugin uninstall ${name}\` then \`capstan plugin install <source>\``,
      },
    );
  }
  if (record === undefined) {
    throw new InstallError(
      "INSTALL_RECORD_MISSING",
      `plugin ${name} has no install record, so its source is unknown`,
      {
        hint: `reinstall it from its source: \`capstan plugin uninstall ${name}\` then \`capstan plugin install <source>\``,
      },
    );
  }
  // A plugin installed through a repository (or moving to one with --from) resolves through
  // the repository's index; the recorded constraint applies unless --version replaces it.
  const repo = options.from
    ? parseRepoRef(options.from)
    : record.repository && { repo: record.repository.name, plugin: record.repository.plugin };
  const version = options.version ?? (options.from ? undefined : record.constraint);
  // The repository's index is refreshed first; a failure falls back to the cached index.
  if (repo) {
    for (const r of await updateRepositories([repo.repo], {
      settings,
      ...(options.env ? { env: options.env } : {}),
      ...(options.keyring ? { keyring: options.keyring } : {}),
    })) {
      if (!r.ok) options.log?.(`warning: ${r.error.message}; using the cached index`);
    }
  }
  return run(
    repo ? `${repo.repo}/${repo.plugin}` : record.source,
    repo ? "repo" : record.kind,
    { ...options, settings, ...(version ? { version } : {}) },
    {
      mode: "update",
      name,
      installedVersion: installed.manifest.version,
      installedManifest: installed.manifest,
      force: options.force ?? false,
      ...(repo ? { repo } : {}),
    },
  );
}

interface Mode {
  mode: "install" | "update";
  name?: string;
  installedVersion?: string;
  installedManifest?: PluginManifest;
  force?: boolean;
  /** Resolve `source` through a plugin repository's index. */
  repo?: RepoRef;
}

async function run(
  source: string,
  kind: SourceKind | "repo",
  options: InstallOptions,
  mode: Mode,
): Promise<UpdateResult> {
  const settings = options.settings ?? resolveSettings(options.env ?? process.env);
  const home = pluginHome(settings);
  const limits = options.limits ?? archiveLimits(options.env ?? process.env);
  const log = options.log ?? (() => {});
  const verify = options.verify ?? true;
  let resolved: ResolvedEntry | undefined;
  if (mode.repo) {
    resolved = resolveRepoPlugin(mode.repo, options.version, {
      settings,
      ...(options.env ? { env: options.env } : {}),
    });
    const { version } = resolved.entry;
    if (mode.mode === "update" && version === mode.installedVersion && !mode.force)
      return {
        name: mode.name!,
        version,
        upToDate: true,
        kind: resolved.url.startsWith("oci://") ? "oci" : "http",
      };
  }
  if (options.version !== undefined && kind !== "git" && kind !== "oci" && kind !== "repo") {
    throw new InstallError(
      "INSTALL_BAD_VERSION",
      `--version applies to git and oci:// sources, not to ${source}`,
      {
        hint: "a directory, .tgz or URL holds exactly one version: drop --version",
        exitCode: ExitCode.usage,
      },
    );
  }
  if (kind === "dir") return linkDirectory(resolve(source), home, settings, options, mode);
  if (!verify) log(`WARNING: verification is off: ${source} is installed without checking who signed it`);
  // A missing keyring matters only for what is signed: an archive without its .prov is
  // reported as unsigned first (the user's first problem), so the keyring error waits until
  // the download tells which it is. Git sources need the keyring to fetch (tag signatures).
  let keyringError: unknown;
  const keyring = verify
    ? await loadKeyringFor(options).catch((e: unknown) => {
        keyringError = e;
        return undefined;
      })
    : undefined;
  if (keyringError !== undefined && kind === "git") throw keyringError;

  const fetched = resolved
    ? await fetchRepoEntry(resolved, {
        settings,
        maxBytes: limits.maxTotalBytes,
        ...(options.env ? { env: options.env } : {}),
        ...(options.plainHttp ? { plainHttp: true } : {}),
        ...(options.username !== undefined ? { username: options.username } : {}),
        ...(options.password !== undefined ? { password: options.password } : {}),
      })
    : await fetchSource(source, kind as SourceKind, options, keyring, limits);
  if (verify && fetched.kind !== "git" && fetched.prov === undefined) {
    throw notSigned(fetched);
  }
  if (keyringError !== undefined) {
    if (fetched.kind === "git") fetched.cleanup();
    throw keyringError;
  }
  try {
    return await withInstallLock(home, async () => {
      for (const note of recoverHome(home)) log(note);
      const staging = makeStaging(home);
      try {
        return await stageAndSwap(staging);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    });
  } finally {
    if (fetched.kind === "git") fetched.cleanup();
  }

  async function stageAndSwap(staging: string): Promise<UpdateResult> {
    const staged = await stage(fetched, staging, keyring, limits, options);
    const { name, version } = staged.loaded.manifest;
    const target = join(home, name);
    if (resolved && (name !== resolved.entry.name || version !== resolved.entry.version)) {
      const { repo, entry } = resolved;
      throw new InstallError(
        "REPO_INDEX_INVALID",
        `repository ${repo.name}: entry ${entry.name} ${entry.version} points at a tarball of ${name} ${version}`,
        {
          hint: "the index does not describe its tarball; tell the repository owner to re-run `capstan plugin repo index`",
          exitCode: ExitCode.verification,
        },
      );
    }
    if (mode.mode === "update" && name !== mode.name) {
      throw new InstallError("UPDATE_OTHER_PLUGIN", `${source} now holds plugin ${name}, not ${mode.name}`, {
        hint: `install it under its own name: \`capstan plugin install ${source}\``,
        exitCode: ExitCode.verification,
      });
    }
    let previousVersion: string | undefined;
    if (mode.mode === "install") {
      const existing = await loadManifest(target).catch(() => undefined);
      if (existing) {
        throw new InstallError(
          "PLUGIN_EXISTS",
          `plugin ${name} ${existing.manifest.version} is already installed in ${home}`,
          {
            hint: `update it with \`capstan plugin update ${name}\`, or uninstall it first`,
          },
        );
      }
    } else {
      previousVersion = mode.installedVersion;
      const cmp = compareVersions(version, previousVersion ?? "0.0.0");
      if (cmp === 0 && !mode.force) return { name, version, upToDate: true as const, kind: fetched.kind };
      if (cmp < 0 && !mode.force) {
        throw new InstallError(
          "UPDATE_DOWNGRADE",
          `refusing to downgrade ${name} from ${previousVersion} to ${version}`,
          {
            hint: `pass --force to install ${version} anyway`,
          },
        );
      }
    }
    const { grants, widened } = await checkGrants(staged.loaded.manifest, mode, options);
    const hookRan = await swapAndHook(home, name, staged.pluginDir, mode, settings, options);
    return {
      grants,
      widened,
      name,
      version,
      dir: target,
      kind: fetched.kind,
      source: staged.record.source,
      provenance: staged.record.provenance,
      linked: false,
      hookRan,
      ...(staged.record.repository ? { repository: staged.record.repository } : {}),
      ...(previousVersion ? { previousVersion } : {}),
    };
  }
}

async function fetchSource(
  source: string,
  kind: SourceKind,
  options: InstallOptions,
  keyring: Keyring | undefined,
  limits: ArchiveLimits,
): Promise<Fetched> {
  const deadline = deadlineSignal(options.timeoutMs);
  const timeouts = {
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(deadline ? { deadline } : {}),
  };
  switch (kind) {
    case "tgz":
      return fetchTgz(source, limits.maxTotalBytes);
    case "http":
      return fetchHttp(source, { maxBytes: limits.maxTotalBytes, ...timeouts });
    case "oci":
      return fetchOci(source, {
        maxBytes: limits.maxTotalBytes,
        ...timeouts,
        ...(options.version ? { version: options.version } : {}),
        ...(options.plainHttp ? { plainHttp: true } : {}),
        ...(options.username !== undefined ? { username: options.username } : {}),
        ...(options.password !== undefined ? { password: options.password } : {}),
      });
    case "git":
      return fetchGit(source, {
        ...(options.version ? { version: options.version } : {}),
        ...(keyring ? { keyring } : {}),
      });
    default:
      throw new InstallError("INSTALL_BAD_SOURCE", `${source}: unsupported source kind ${kind}`, {
        hint: "reinstall the plugin: `capstan plugin uninstall <name>` then `capstan plugin install <source>`",
      });
  }
}

/** Verifies (archives) and writes the plugin tree into the staging directory. */
async function stage(
  fetched: Fetched,
  staging: string,
  keyring: Keyring | undefined,
  limits: ArchiveLimits,
  options: InstallOptions,
): Promise<Staged> {
  const label =
    fetched.kind === "git" ? fetched.source : fetched.kind === "tgz" ? fetched.source : fetched.fileName;
  let checked: ArchiveMember[] | undefined;
  const readMembers = (): ArchiveMember[] =>
    (checked ??=
      fetched.kind === "git"
        ? treeMembers(fetched.dir, limits, fetched.source)
        : readArchive(fetched.bytes, label, limits));
  // Archives are verified before the tar parser sees a byte: a tampered download is refused
  // on its digest, not on whatever the damage does to the parser. Only then does signing ask
  // for the archive's plugin.yaml, to compare with the signed name and version.
  const verified =
    fetched.kind !== "git" && keyring
      ? await verifyArchive(fetched, keyring, () => {
          const { name, version } = archiveManifest(readMembers(), label).manifest;
          return { name, version };
        })
      : undefined;
  const members = readMembers();
  refuseRecordFiles(members, label);
  const parsed = archiveManifest(members, label);
  const { version } = parsed.manifest;
  let provenance: ProvenanceRecord | null = null;
  let ref: string | undefined;
  if (fetched.kind === "git") {
    ref = fetched.tag;
    const tagVersion = fetched.tag?.replace(/^v/, "");
    if (keyring && fetched.signature) {
      if (tagVersion !== version) {
        throw new InstallError(
          "GIT_TAG_MISMATCH",
          `${fetched.source}: signed tag ${fetched.tag} but plugin.yaml says version ${version}`,
          {
            hint: "tag the commit whose plugin.yaml carries the tagged version",
            exitCode: ExitCode.verification,
          },
        );
      }
      provenance = { ...fetched.signature, hash: `git:${fetched.commit}` };
    }
  } else {
    if (fetched.version) ref = fetched.version;
    if (verified) {
      const s = verified.signer;
      provenance = { signer: s.userId, fingerprint: s.fingerprint, keyId: s.keyId, hash: verified.hash };
    }
  }
  const tree = join(staging, "tree");
  writeMembers(members, tree);
  const pluginDir = parsed.root === "" ? tree : join(tree, parsed.root);
  const loaded = await loadManifest(pluginDir);
  refuseMissingWasm(loaded, fetched.source);
  for (const w of loaded.warnings) options.log?.(`warning: ${w.message ?? String(w)}`);
  const prefix = parsed.root === "" ? "" : `${parsed.root}/`;
  const files: Record<string, string> = {};
  for (const m of members) {
    if (m.type === "file" && m.path.startsWith(prefix))
      files[m.path.slice(prefix.length)] = sha256Hex(m.data);
  }
  const record: InstallRecord = {
    source: fetched.source,
    kind: fetched.kind,
    version,
    ...(options.version ? { constraint: options.version } : {}),
    ...(ref ? { ref } : {}),
    ...(fetched.kind !== "git" ? { fileName: fetched.fileName } : {}),
    ...(fetched.kind !== "git" && fetched.repository ? { repository: fetched.repository } : {}),
    provenance,
    installedAt: new Date().toISOString(),
    files,
  };
  const prov = fetched.kind !== "git" && provenance ? fetched.prov : undefined;
  writeInstallRecord(pluginDir, record, prov);
  return { pluginDir, loaded, record, ...(prov ? { prov } : {}) };
}

/**
 * An extism/v1 plugin without its plugin.wasm (a project directory never built, or packaged
 * before the build) would install fine and fail at every call: refused before anything moves.
 */
function refuseMissingWasm(loaded: LoadedPlugin, source: string): void {
  const path = missingPluginWasm(loaded);
  if (path === undefined) return;
  throw new InstallError(
    "PLUGIN_WASM_MISSING",
    `${source}: plugin ${loaded.manifest.name} has runtime extism/v1 but no ${PLUGIN_WASM_FILE} (${path})`,
    { hint: PLUGIN_WASM_HINT },
  );
}

/**
 * An archive carrying its own install record or kept .prov would forge what `plugin list` and
 * `update` read (source, signer, file digests): refused, wherever it sits in the archive.
 */
function refuseRecordFiles(members: readonly ArchiveMember[], label: string): void {
  const forged = members.find((m) => {
    const base = m.path.replace(/\/$/, "").split("/").pop();
    return base === RECORD_FILE || base === RECORD_PROV_FILE;
  });
  if (forged) {
    throw new InstallError(
      "ARCHIVE_UNSAFE",
      `${label}: ${forged.path} is written by capstan at install, not shipped`,
      {
        hint: "repackage the plugin with `capstan plugin package <dir>`, which leaves these files out",
        exitCode: ExitCode.verification,
      },
    );
  }
}

async function verifyArchive(
  fetched: FetchedArchive,
  keyring: Keyring,
  archivePlugin: () => ExpectedPlugin,
): Promise<VerifyResult> {
  if (fetched.prov === undefined) throw notSigned(fetched);
  const { verifyProvenance } = await import("@capstan/signing");
  return verifyProvenance({
    keyring,
    provText: fetched.prov,
    provLabel: fetched.provLabel,
    fileName: fetched.fileName,
    sha256: sha256Hex(fetched.bytes),
    loadExpected: async () => archivePlugin(),
  });
}

function notSigned(fetched: FetchedArchive): InstallError {
  return new InstallError(
    "PROV_MISSING",
    `${fetched.fileName} is not signed: no provenance file at ${fetched.provLabel}`,
    {
      hint: "publish <tgz>.prov beside the tarball (`capstan plugin package --sign` or `capstan plugin sign`), or pass --verify=false (unsafe)",
      exitCode: ExitCode.verification,
    },
  );
}

/** Reads a checkout as archive members so it goes through the same rules and caps. */
function treeMembers(dir: string, limits: ArchiveLimits, source: string): ArchiveMember[] {
  let entries: ReturnType<typeof collectFiles>;
  try {
    entries = collectFiles(dir, "");
  } catch (e) {
    // A link or special file in a checkout is the same threat as one in an archive.
    if ((e as InstallError).code !== "PACKAGE_UNSUPPORTED_FILE") throw e;
    throw new InstallError(
      "ARCHIVE_UNSAFE",
      `${source}: ${(e as Error).message.replace(`${dir}/`, "").replace("cannot be packaged", "is refused")}`,
      {
        hint: "only regular files and directories are installed; replace links in the repository with copies",
        exitCode: ExitCode.verification,
      },
    );
  }
  const exceeded = exceededLimit(entries, limits);
  if (exceeded !== undefined) {
    throw new InstallError("ARCHIVE_UNSAFE", `${source}: ${exceeded}`, {
      hint: "raise the cap named above if the plugin is really that large",
      exitCode: ExitCode.verification,
    });
  }
  return entries.map((e) => ({ path: e.path, type: e.type, mode: e.mode, data: Buffer.from(e.data ?? []) }));
}

async function linkDirectory(
  dir: string,
  home: string,
  settings: HostSettings,
  options: InstallOptions,
  mode: Mode,
): Promise<InstallResult> {
  const loaded = await loadManifest(dir);
  refuseMissingWasm(loaded, dir);
  const { name, version } = loaded.manifest;
  return withInstallLock(home, async () => {
    for (const note of recoverHome(home)) options.log?.(note);
    const target = join(home, name);
    if (mode.mode === "update" && name !== mode.name) {
      throw new InstallError("UPDATE_OTHER_PLUGIN", `${dir} now holds plugin ${name}, not ${mode.name}`, {
        hint: `install it under its own name: \`capstan plugin install ${dir}\``,
      });
    }
    if (mode.mode === "install" && (await loadManifest(target).catch(() => undefined))) {
      throw new InstallError("PLUGIN_EXISTS", `plugin ${name} is already installed in ${home}`, {
        hint: `uninstall it first: \`capstan plugin uninstall ${name}\``,
      });
    }
    const { grants, widened } = await checkGrants(loaded.manifest, mode, options);
    const staging = makeStaging(home);
    const link = join(staging, "link");
    symlinkSync(dir, link, "dir");
    const hookRan = await swapAndHook(home, name, link, mode, settings, options).finally(() =>
      rmSync(staging, { recursive: true, force: true }),
    );
    return {
      name,
      version,
      dir: target,
      kind: "dir",
      source: dir,
      provenance: null,
      linked: true,
      hookRan,
      grants,
      widened,
      ...(mode.installedVersion ? { previousVersion: mode.installedVersion } : {}),
    };
  });
}

/**
 * The grants of the plugin about to be enabled, shown through onGrants. An update whose grants
 * widen those of the installed version is refused unless accepted (flag or interactive yes).
 */
async function checkGrants(
  manifest: PluginManifest,
  mode: Mode,
  options: InstallOptions,
): Promise<{ grants: PluginGrants; widened: string[] }> {
  const grants = pluginGrants(manifest);
  const widened = mode.installedManifest ? widenedGrants(pluginGrants(mode.installedManifest), grants) : [];
  options.onGrants?.(grants, widened);
  if (widened.length > 0 && !options.acceptGrants && !(await options.confirmGrants?.(widened))) {
    throw new InstallError(
      "UPDATE_GRANTS_WIDENED",
      `${manifest.name} ${manifest.version} asks for more than the installed version: ${widened.join("; ")}`,
      {
        hint: `review the grants, then run \`capstan plugin update ${manifest.name} --accept-grants\``,
        exitCode: ExitCode.verification,
      },
    );
  }
  return { grants, widened };
}

/**
 * Swaps `newPath` in as `<home>/<name>`, then runs the install/update hook of what is now in
 * place; a failing hook rolls the swap back, so the previous version (or nothing) remains.
 */
async function swapAndHook(
  home: string,
  name: string,
  newPath: string,
  mode: Mode,
  settings: HostSettings,
  options: InstallOptions,
): Promise<boolean> {
  const swap = swapIntoPlace(home, name, newPath);
  let hookRan = false;
  try {
    if (options.hooks ?? true) {
      const event: HookEvent = mode.mode === "update" ? "update" : "install";
      const io = options.hookOutput ?? "inherit";
      hookRan = await runHook(await loadManifest(join(home, name)), event, {
        settings,
        stdout: io,
        stderr: io,
        ...(options.env ? { env: options.env } : {}),
      });
    }
  } catch (e) {
    swap.rollback();
    throw e;
  }
  swap.commit();
  return hookRan;
}

async function loadKeyringFor(options: InstallOptions): Promise<Keyring> {
  const { loadKeyring } = await import("@capstan/signing");
  return loadKeyring(options.keyring ?? defaultKeyringPath(options.env ?? process.env));
}

function compareVersions(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.compare(va, vb);
  return a === b ? 0 : 1;
}
