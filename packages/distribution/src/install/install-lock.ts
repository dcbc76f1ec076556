// Serializes installs into one plugin home with an O_EXCL lock file holding the owner's pid.
// A lock whose pid is dead on this host is stale (the owner was killed) and is broken; the
// breaking itself is serialized by a second O_EXCL file so two waiters cannot both break it
// and then delete each other's fresh lock.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";

/** Name of the lock file inside the plugin home. */
export const LOCK_FILE = ".capstan-install.lock";

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Runs `fn` while holding the plugin home's install lock; waits up to `timeoutMs` (default 120 s, env CAPSTAN_LOCK_TIMEOUT_MS). */
export async function withInstallLock<T>(
  home: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number; onWait?: (owner: string) => void } = {},
): Promise<T> {
  const release = await acquire(home, options);
  try {
    return await fn();
  } finally {
    release();
  }
}

async function acquire(
  home: string,
  options: { timeoutMs?: number; onWait?: (owner: string) => void },
): Promise<() => void> {
  // A fresh machine has no plugin home yet: the first install creates it.
  mkdirSync(home, { recursive: true });
  const path = join(home, LOCK_FILE);
  const timeoutMs = options.timeoutMs ?? (Number(process.env.CAPSTAN_LOCK_TIMEOUT_MS) || 120_000);
  const deadline = Date.now() + timeoutMs;
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  let told = false;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    if (tryCreate(path, `${JSON.stringify(me)}\n`)) {
      return () => {
        try {
          const owner = readOwner(path);
          if (owner?.pid === me.pid && owner.since === me.since) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    }
    const text = readText(path);
    const owner = text === undefined ? undefined : parseOwner(text);
    if (text !== undefined && isStale(owner, path)) {
      breakStale(path, text);
      await new Promise((r) => setTimeout(r, 5));
    } else {
      if (!told && owner) options.onWait?.(`pid ${owner.pid} since ${owner.since}`);
      told = true;
      if (Date.now() > deadline) {
        throw new InstallError("INSTALL_LOCKED", `another install holds ${path} (pid ${owner?.pid ?? "?"})`, {
          hint: `wait for it to finish; if no capstan process is running, delete ${path}`,
          exitCode: ExitCode.failure,
        });
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o.pid === "number" ? o : undefined;
  } catch {
    return undefined;
  }
}

function readOwner(path: string): LockOwner | undefined {
  const text = readText(path);
  return text === undefined ? undefined : parseOwner(text);
}

function isStale(owner: LockOwner | undefined, path: string): boolean {
  if (owner === undefined) {
    // Unreadable content: the owner died between creating and writing it, or it is junk.
    // Give a live writer a moment before calling it stale.
    try {
      return Date.now() - statSync(path).mtimeMs > 2000;
    } catch {
      return false;
    }
  }
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function breakStale(path: string, staleText: string): void {
  const breaker = `${path}.break`;
  if (!tryCreate(breaker, String(process.pid))) {
    // Someone else is breaking it; a breaker left by a killed process expires after 10 s.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > 10_000) unlinkSync(breaker);
    } catch {
      // Raced with its owner removing it.
    }
    return;
  }
  try {
    if (readText(path) === staleText) unlinkSync(path);
  } finally {
    unlinkSync(breaker);
  }
}
