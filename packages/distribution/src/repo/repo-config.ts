// The list of added plugin repositories, `plugin-repositories.yaml` in the config home (the
// layout of Helm's repositories.yaml: name, url, credentials and TLS files per repository).
// It holds passwords, so it is written 0600, and always whole: a temporary file renamed over
// the old one, so a crash leaves the old list or the new one, never half of either.
import { readFileSync } from "node:fs";
import { ExitCode } from "@capstan/manifest";
import { parse, stringify } from "yaml";
import { InstallError } from "../errors.js";
import { checkRepoName } from "./repo-name.js";
import { writeAtomic } from "./write-atomic.js";

/** One added repository (Helm's repositories.yaml field names). */
export interface RepoConfigEntry {
  name: string;
  /** Base URL; the index is `<url>/index.yaml`. */
  url: string;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecure_skip_tls_verify?: boolean;
  /** Fingerprint of the key that signs the index, pinned when first seen signed. */
  indexSigner?: string;
}

/** The whole file. */
export interface RepoConfig {
  apiVersion: "v1";
  generated: string;
  repositories: RepoConfigEntry[];
}

/** Reads the file; a missing file is an empty list. */
export function readRepoConfig(file: string): RepoConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return { apiVersion: "v1", generated: "", repositories: [] };
    throw invalid(file, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw invalid(file, `not YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const repos = (doc as { repositories?: unknown } | null)?.repositories ?? [];
  if (!Array.isArray(repos)) throw invalid(file, "repositories is not a list");
  for (const r of repos) {
    if (typeof r?.name !== "string" || typeof r?.url !== "string")
      throw invalid(file, "an entry lacks name or url");
    checkRepoName(r.name);
  }
  return {
    apiVersion: "v1",
    generated: String((doc as { generated?: unknown }).generated ?? ""),
    repositories: repos,
  };
}

/** Writes the file atomically with mode 0600. */
export function writeRepoConfig(file: string, config: RepoConfig): void {
  writeAtomic(file, stringify({ ...config, generated: new Date().toISOString() }), 0o600);
}

/** The entry named `name`, or REPO_NOT_FOUND naming the added ones. */
export function findRepo(config: RepoConfig, name: string): RepoConfigEntry {
  const found = config.repositories.find((r) => r.name === checkRepoName(name));
  if (found === undefined) {
    const known = config.repositories.map((r) => r.name).join(", ") || "none";
    throw new InstallError("REPO_NOT_FOUND", `no plugin repository named ${name} (added: ${known})`, {
      hint: "add it with `capstan plugin repo add <name> <url>`; see `capstan plugin repo list`",
      exitCode: ExitCode.notFound,
    });
  }
  return found;
}

function invalid(file: string, why: string): InstallError {
  return new InstallError("REPO_CONFIG_INVALID", `${file}: ${why}`, {
    hint: "fix or remove the file, then add the repositories again with `capstan plugin repo add`",
  });
}
