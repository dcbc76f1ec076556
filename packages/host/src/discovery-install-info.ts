// Install metadata written by `capstan plugin install` next to plugin.yaml
// (`<plugin dir>/.capstan-install.json`): where the plugin came from and how it was verified.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** File name of the install metadata inside a plugin directory. */
export const INSTALL_INFO_FILE = ".capstan-install.json";

/** What `plugin list` shows about an install; fields are absent when unknown. */
export interface InstallInfo {
  /** Where it was installed from (path, URL, git URL, oci:// reference). */
  source?: string;
  /** Verification result, e.g. `verified`, `unsigned`, `skipped`. */
  provenance?: string;
  /** Other fields the installer recorded. */
  [key: string]: unknown;
}

/** Reads the install metadata of a plugin directory; `{}` when absent or unreadable. */
export async function readInstallInfo(dir: string): Promise<InstallInfo> {
  try {
    const value: unknown = JSON.parse(await readFile(join(dir, INSTALL_INFO_FILE), "utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as InstallInfo) : {};
  } catch {
    return {};
  }
}
