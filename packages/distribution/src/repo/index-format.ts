// index.yaml of a plugin repository, version 1, and the one function that accepts one. The
// layout follows Helm's chart repository index (`apiVersion`, `generated`, `entries` keyed by
// name, newest first, `urls` relative to the index). Everything in it is untrusted until
// checked here: YAML only (no aliases beyond the yaml library's cap), a size and entry cap,
// plugin names and SemVer versions, one entry per name+version, a sha256 digest per entry,
// and URLs that stay at the repository's own origin unless the index lists the other origin
// in `externalOrigins`. A refusal names the repository and the entry.
import { ExitCode } from "@capstan/manifest";
import semver from "semver";
import { parse } from "yaml";
import { InstallError } from "../errors.js";
import { PLUGIN_NAME } from "./repo-name.js";
import { quoted } from "./safe-text.js";

/** One plugin version in an index. */
export interface IndexEntry {
  name: string;
  version: string;
  /** `cli/v1`, `getter/v1` or `postrenderer/v1`. */
  type: string;
  /** plugin.yaml apiVersion as normalized: `v1` or `legacy`. */
  apiVersion: string;
  /** `extism/v1` or `subprocess`. */
  runtime: string;
  description?: string;
  sourceURL?: string;
  /** `sha256:<hex>` of the tarball. */
  digest: string;
  /** Where the tarball is: relative to the index, an absolute http(s) URL or an oci:// reference. */
  urls: string[];
  /** Whether `<tarball>.prov` sits beside the tarball (OCI: a .prov layer). */
  provenance: boolean;
  /** When the version was first indexed (kept on re-index). */
  created: string;
}

/** A whole index. */
export interface PluginIndex {
  apiVersion: "v1";
  kind: "PluginRepositoryIndex";
  generated: string;
  /** Origins besides the repository's own that entry URLs may point at (`https://cdn.example`, `oci://ghcr.io`). */
  externalOrigins?: string[];
  /** Plugin name -> versions, newest first. */
  entries: Record<string, IndexEntry[]>;
}

const MiB = 1024 * 1024;

/** Caps on an index: bytes (CAPSTAN_MAX_INDEX_BYTES, default 16 MiB) and entries (20000). */
export function indexLimits(env: NodeJS.ProcessEnv = process.env): { maxBytes: number; maxEntries: number } {
  const n = Number(env.CAPSTAN_MAX_INDEX_BYTES);
  return { maxBytes: Number.isSafeInteger(n) && n > 0 ? n : 16 * MiB, maxEntries: 20000 };
}

/** The origin an entry URL points at: `scheme://host[:port]`, `oci://host` for references. */
export function urlOrigin(url: string): string {
  if (url.startsWith("oci://")) return `oci://${url.slice(6).split("/")[0]}`;
  return new URL(url).origin;
}

/** Resolves an entry URL against the repository URL (relative URLs live beside index.yaml). */
export function resolveEntryUrl(repoUrl: string, url: string): string {
  if (url.startsWith("oci://")) return url;
  return new URL(url, repoUrl.endsWith("/") ? repoUrl : `${repoUrl}/`).href;
}

/** Parses and checks index text of repository `repo` at `repoUrl`; throws REPO_INDEX_* naming the entry. */
export function parseIndex(text: string, repo: string, repoUrl: string, limits = indexLimits()): PluginIndex {
  const refuse = (where: string, why: string): never => {
    throw new InstallError("REPO_INDEX_INVALID", `repository ${repo}: index.yaml${where}: ${why}`, {
      hint: `the repository serves a broken or tampered index; tell its owner, or remove it: \`capstan plugin repo remove ${repo}\``,
      exitCode: ExitCode.verification,
    });
  };
  if (Buffer.byteLength(text) > limits.maxBytes) {
    throw new InstallError(
      "REPO_INDEX_TOO_LARGE",
      `repository ${repo}: index.yaml is larger than the cap of ${limits.maxBytes} bytes`,
      {
        hint: "raise CAPSTAN_MAX_INDEX_BYTES if the index is really that large",
        exitCode: ExitCode.verification,
      },
    );
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (e) {
    refuse("", `not YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!isObject(doc)) return refuse("", "not a YAML mapping");
  if (doc.apiVersion !== "v1") refuse("", `apiVersion ${quoted(String(doc.apiVersion))} is not v1`);
  if (!isObject(doc.entries)) return refuse("", "entries is not a mapping of plugin names");
  const own = urlOrigin(repoUrl);
  const external = new Set<string>();
  if (doc.externalOrigins !== undefined) {
    if (!Array.isArray(doc.externalOrigins)) refuse("", "externalOrigins is not a list");
    for (const o of doc.externalOrigins as unknown[]) {
      try {
        external.add(urlOrigin(String(o)));
      } catch {
        refuse("", `externalOrigins: ${quoted(String(o))} is not a URL`);
      }
    }
  }
  const entries: Record<string, IndexEntry[]> = {};
  let count = 0;
  for (const [name, list] of Object.entries(doc.entries)) {
    if (!PLUGIN_NAME.test(name)) refuse(` entry ${quoted(name)}`, "not a plugin name");
    if (!Array.isArray(list)) return refuse(` entry ${name}`, "not a list of versions");
    const seen = new Set<string>();
    const versions: IndexEntry[] = [];
    for (const [i, raw] of list.entries()) {
      if (++count > limits.maxEntries)
        refuse("", `more than ${limits.maxEntries} plugin versions (the cap on an index)`);
      const where = ` entry ${name}[${i}]`;
      if (!isObject(raw)) return refuse(where, "not a mapping");
      const str = (key: string, required = true): string | undefined => {
        const v = raw[key];
        if (v === undefined && !required) return undefined;
        if (typeof v !== "string" || v === "") refuse(where, `${key} is missing or not a string`);
        return v as string;
      };
      const version = str("version")!;
      const at = ` entry ${name} ${quoted(version)}`;
      if (str("name") !== name) refuse(at, `name ${quoted(String(raw.name))} differs from its key ${name}`);
      if (semver.valid(version) !== version) refuse(at, "version is not SemVer");
      if (seen.has(version)) refuse(` entry ${name} ${version}`, "listed twice (same name and version)");
      seen.add(version);
      const digest = str("digest")!;
      if (!/^sha256:[0-9a-f]{64}$/.test(digest))
        refuse(at, `digest ${quoted(digest)} is not sha256:<64 hex>`);
      const urls = raw.urls;
      if (!Array.isArray(urls) || urls.length === 0 || urls.some((u) => typeof u !== "string"))
        return refuse(at, "urls is not a non-empty list of strings");
      for (const u of urls as string[]) {
        let origin: string;
        try {
          const abs = resolveEntryUrl(repoUrl, u);
          if (!/^(https?|oci):\/\//.test(abs)) throw new Error("scheme");
          origin = urlOrigin(abs);
        } catch {
          return refuse(at, `url ${quoted(u)} is not an http(s) URL or oci:// reference`);
        }
        if (origin !== own && !external.has(origin))
          refuse(
            at,
            `url ${quoted(u)} points outside the repository (${own}) and externalOrigins does not list ${origin}`,
          );
      }
      const description = str("description", false);
      const sourceURL = str("sourceURL", false);
      versions.push({
        name,
        version,
        type: str("type")!,
        apiVersion: str("apiVersion")!,
        runtime: str("runtime")!,
        ...(description !== undefined ? { description } : {}),
        ...(sourceURL !== undefined ? { sourceURL } : {}),
        digest,
        urls: urls as string[],
        provenance: raw.provenance === true,
        created: str("created", false) ?? "",
      });
    }
    entries[name] = versions.sort((a, b) => semver.rcompare(a.version, b.version));
  }
  return {
    apiVersion: "v1",
    kind: "PluginRepositoryIndex",
    generated: typeof doc.generated === "string" ? doc.generated : "",
    ...(external.size > 0 ? { externalOrigins: [...external] } : {}),
    entries,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
