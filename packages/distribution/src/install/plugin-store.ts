// Atomic changes to the plugin home. New trees are built in `.capstan-staging-*` directories
// inside the home (same file system, so rename is atomic) and swapped in with two renames:
// the old directory moves to `.capstan-old.<name>`, the new one takes its place. A process
// killed between the two renames leaves `.capstan-old.<name>` without `<name>`; the next
// locked operation (recoverHome) renames it back, so the previous state returns. Removed
// plugins go to `.capstan-trash-*` first, which recovery always deletes. All of this runs
// under the install lock. Discovery skips names starting with ".".
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";

const STAGING = ".capstan-staging-";
const OLD = ".capstan-old.";
const TRASH = ".capstan-trash-";

/** Undoes what a killed install left behind; call with the lock held. */
export function recoverHome(home: string): string[] {
  const notes: string[] = [];
  if (!existsSync(home)) return notes;
  for (const entry of readdirSync(home)) {
    const path = join(home, entry);
    if (entry.startsWith(STAGING) || entry.startsWith(TRASH)) {
      rmSync(path, { recursive: true, force: true });
    } else if (entry.startsWith(OLD)) {
      const name = entry.slice(OLD.length);
      const target = join(home, name);
      if (exists(target)) rmSync(path, { recursive: true, force: true });
      else {
        renameSync(path, target);
        notes.push(`restored ${name} after an interrupted install`);
      }
    }
  }
  return notes;
}

/**
 * `<home>/<name>` for a name given on the command line (update, uninstall); a name that is not
 * a plugin name (`../x`, `a/b`) never becomes a path.
 */
export function pluginPathIn(home: string, name: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new InstallError("PLUGIN_NOT_INSTALLED", `${JSON.stringify(name)} is not a plugin name`, {
      hint: "see installed plugins with `capstan plugin list`",
      exitCode: ExitCode.usage,
    });
  }
  return join(home, name);
}

/** A fresh staging directory inside the home. */
export function makeStaging(home: string): string {
  mkdirSync(home, { recursive: true });
  return mkdtempSync(join(home, STAGING));
}

/** A swap that can be committed (old copy deleted) or rolled back (old copy restored). */
export interface Swap {
  commit(): void;
  rollback(): void;
}

/** Moves `newPath` to `<home>/<name>`, keeping any previous `<name>` aside until commit. */
export function swapIntoPlace(home: string, name: string, newPath: string): Swap {
  const target = join(home, name);
  const old = join(home, `${OLD}${name}`);
  rmSync(old, { recursive: true, force: true });
  const hadOld = exists(target);
  if (hadOld) renameSync(target, old);
  renameSync(newPath, target);
  return {
    commit: () => {
      if (hadOld) rmSync(old, { recursive: true, force: true });
    },
    rollback: () => {
      trash(home, target);
      if (hadOld) renameSync(old, target);
    },
  };
}

/** Removes `<home>/<name>` atomically (rename to trash, then delete). */
export function removeFromHome(home: string, name: string): void {
  trash(home, join(home, name));
}

function trash(home: string, path: string): void {
  if (!exists(path)) return;
  const bin = mkdtempSync(join(home, TRASH));
  renameSync(path, join(bin, "x"));
  rmSync(bin, { recursive: true, force: true });
}

/** lstat-based existence: a dangling symlink (linked plugin whose dir moved) still exists. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
