// `<plugin dir>/.capstan-install.json`: where a plugin came from and who signed it. Written
// by @capstan/distribution's install/update; read here, in the host, because `plugin list`
// (PROVENANCE, SOURCE) reads it beside discovery, and by update (to fetch again).
import { lstatSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// node:crypto loads on first use: every CLI start imports this package, and only commands that
// check provenance hash files (loading node:crypto costs milliseconds on a busy machine).
const builtin = createRequire("/");

/** How a plugin was installed. */
export type SourceKind = "dir" | "tgz" | "http" | "git" | "oci";

/** File name of the install record inside a plugin directory. */
export const RECORD_FILE = ".capstan-install.json";
/** Copy of the verified .prov kept beside the record. */
export const RECORD_PROV_FILE = ".capstan-install.prov";

/** Who signed what was installed. */
export interface ProvenanceRecord {
  /** Signer's primary user ID. */
  signer: string;
  /** Primary key fingerprint, uppercase hex. */
  fingerprint: string;
  /** Id of the (sub)key that signed, uppercase hex. */
  keyId: string;
  /** `sha256:<hex>` of the verified tarball, or `git:<commit>` for a signed git tag. */
  hash: string;
}

/** The plugin repository entry a plugin was installed through (`install <repo>/<plugin>`). */
export interface RepositoryRecord {
  /** Repository name as added with `capstan plugin repo add`. */
  name: string;
  /** Plugin name in the repository's index. */
  plugin: string;
  /** The repository URL when installed (for messages if the repository is removed later). */
  url: string;
}

/** The install record. */
export interface InstallRecord {
  /** Source as given (absolute for local paths; `oci://host/repo` without tag). */
  source: string;
  kind: SourceKind;
  /** Installed plugin version (plugin.yaml). */
  version: string;
  /** The --version constraint the user gave, reused by `update`. */
  constraint?: string;
  /** Git tag or OCI tag installed. */
  ref?: string;
  /** null when not verified (--verify=false or a local directory). */
  provenance: ProvenanceRecord | null;
  installedAt: string;
  /** Tarball base name the .prov lists (archive sources). */
  fileName?: string;
  /** sha256 of each file the verified source delivered (relative path -> hex). */
  files?: Record<string, string>;
  /** Set when installed through a plugin repository; `update` resolves through its index. */
  repository?: RepositoryRecord;
}

/** Reads the record of a plugin directory; undefined when absent, throws when unreadable. */
export function readInstallRecord(pluginDir: string): InstallRecord | undefined {
  let text: string;
  try {
    text = readFileSync(join(pluginDir, RECORD_FILE), "utf8");
  } catch {
    return undefined;
  }
  const r = JSON.parse(text) as InstallRecord;
  if (typeof r !== "object" || r === null || typeof r.source !== "string" || typeof r.kind !== "string") {
    throw new Error(`${join(pluginDir, RECORD_FILE)} is not an install record`);
  }
  return r;
}

/** sha256 hex of a buffer. */
export function sha256Hex(data: Uint8Array): string {
  const { createHash } = builtin("node:crypto") as typeof import("node:crypto");
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The record for `plugin list` and `update --all`: the file's content, or for a plugin linked
 * in development mode (a symlink, no record written into the developer's directory) a
 * synthesized `{kind: "dir", source: <real path>}`. undefined: not installed by capstan.
 */
export function installRecordFor(pluginDir: string): InstallRecord | undefined {
  let link = false;
  try {
    link = lstatSync(pluginDir).isSymbolicLink();
  } catch {
    return undefined;
  }
  if (link) {
    let source = pluginDir;
    try {
      source = realpathSync(pluginDir);
    } catch {
      // A dangling link still reads as a linked directory.
    }
    return { source, kind: "dir", version: "", provenance: null, installedAt: "" };
  }
  return readInstallRecord(pluginDir);
}
