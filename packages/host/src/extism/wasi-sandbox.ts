// The file-system boundary of an extism/v1 plugin: every line that confines a WASI path lives
// here, so a reviewer finds the whole sandbox in one file (docs/security.md, "Files").
//
// node:wasi (uvwasi) is not a sandbox. It turns a guest path into a host path string
// *lexically* (it collapses `..`, and follows a final symlink itself by reading it and
// joining its text to the link's directory), checks that string against the preopen, and
// hands it to path-based libc calls, which the OS resolves *physically*: a symlinked directory
// in the middle ("hostlink/x") or a final symlink the call follows is followed by the OS out of
// the mount. So before node:wasi sees a path, this file
//   1. computes the exact string node:wasi will pass to the OS (the same lexical rules, the
//      same final-symlink following), and
//   2. walks that string component by component the way the OS will (lstat, readlink), and
//      refuses (ENOTCAPABLE) as soon as a step leaves the real host path of the mount the
//      directory fd belongs to.
// Both ends of link/rename, the directory of a new symlink and the text of its target, and the
// final component wherever the call (or the OS behind it) follows it are checked. A final
// symlink opened without LOOKUP_SYMLINK_FOLLOW fails with ELOOP (O_NOFOLLOW). Read-only mounts
// are enforced here too (EROFS), by tracking which fds come from them.
//
// Like core.ts, this is ONE self-contained factory (the worker isolation stringifies it): no
// imports, no outer references; Node modules come through the `require` argument. The check and
// the call run in one synchronous step on the plugin's only thread; a host process changing the
// mount between them is outside the threat model (docs/security.md).
import type { SandboxPath } from "./policy.js";
import type { WasmMemory } from "./wasm-types.js";

type WasiFn = (...args: (number | bigint)[]) => number;
/** A WASI call argument as destructured from the call (absent when the guest passed fewer). */
type Arg = number | bigint | undefined;

/** The sandbox factory; call once per realm/thread. */
export function wasiSandbox(require: (id: string) => unknown) {
  const { lstatSync, readlinkSync, realpathSync } = require("node:fs") as typeof import("node:fs");
  const { dirname, isAbsolute, resolve, sep } = require("node:path") as typeof import("node:path");
  const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

  // WASI errnos and flags (wasi_snapshot_preview1).
  const E = { BADF: 8, FAULT: 21, ILSEQ: 25, INVAL: 28, LOOP: 32, ROFS: 69, NOTCAPABLE: 76 } as const;
  const LOOKUP_SYMLINK_FOLLOW = 1;
  const OFLAGS_WRITE = 1 | 4 | 8; // CREAT | EXCL | TRUNC
  // FD_DATASYNC | FD_WRITE | FD_ALLOCATE | FD_FILESTAT_SET_SIZE: the rights uvwasi opens for writing.
  const RIGHTS_WRITE = 1n | (1n << 6n) | (1n << 8n) | (1n << 22n);
  const MAX_LINKS = 32; // symlinks followed in one lookup before ELOOP (uvwasi's own limit)

  /** What an fd the plugin holds stands for: node:wasi's host path string for it, its mount. */
  interface FdEntry {
    /** The host path string node:wasi keeps for this fd (lexical, may contain symlinks). */
    host: string;
    /** Real host path of the mount the fd came from: nothing may resolve outside it. */
    root: string;
    writable: boolean;
  }

  /** Why a lookup was refused, as a WASI errno. */
  class Refused {
    constructor(readonly errno: number) {}
  }

  const within = (path: string, root: string) =>
    path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

  /** The components of `path` below `root` (path is lexically inside root). */
  const below = (path: string, root: string) =>
    path === root ? [] : path.slice(root.length).split(sep).filter(Boolean);

  function lstat(path: string) {
    try {
      return lstatSync(path, { throwIfNoEntry: false }) ?? null;
    } catch {
      return null; // ENOTDIR, EACCES...: the OS call fails the same way; node:wasi answers
    }
  }

  /**
   * Resolves `host` (a path string lexically inside `root`) as the OS will: every symlink in the
   * middle is followed, the last one only when `followLast`. Returns the real path reached
   * (possibly not existing yet), or null when a component is missing or not a directory (the
   * call will fail there). Throws Refused when any step leaves `root`.
   */
  function walk(host: string, root: string, followLast: boolean): string | null {
    const queue = below(host, root);
    let cur = root;
    let links = 0;
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (name === "." || name === "") continue;
      if (name === "..") {
        if (cur === root) throw new Refused(E.NOTCAPABLE);
        cur = dirname(cur);
        continue;
      }
      const next = cur === sep ? sep + name : cur + sep + name;
      const st = lstat(next);
      if (st === null) return queue.length === 0 ? next : null;
      if (!st.isSymbolicLink() || (queue.length === 0 && !followLast)) {
        if (queue.length > 0 && !st.isDirectory()) return null;
        cur = next;
        continue;
      }
      if (++links > MAX_LINKS) throw new Refused(E.LOOP);
      const target = readlinkSync(next, "utf8");
      const parts = target.split(sep).filter(Boolean);
      if (isAbsolute(target)) {
        // Only a target naming the mount's own real path (no dot segments) can stay inside.
        if (!within(target, root) || parts.includes("..") || parts.includes("."))
          throw new Refused(E.NOTCAPABLE);
        cur = root;
        queue.unshift(...below(resolve(target), root));
      } else {
        queue.unshift(...parts);
      }
    }
    return cur;
  }

  /**
   * The host string node:wasi derives for (fd, guest path) and checks it with `walk`.
   * `wasiFollows`: node:wasi follows a final symlink itself (LOOKUP_SYMLINK_FOLLOW);
   * `osFollows`: the libc call behind it follows a final symlink (open, stat, utimes).
   */
  function lookup(d: FdEntry, rel: string, wasiFollows: boolean, osFollows: boolean): string {
    if (rel.includes("\0")) throw new Refused(E.INVAL); // uvwasi would cut the path at the NUL
    if (isAbsolute(rel)) throw new Refused(E.NOTCAPABLE);
    let host = resolve(d.host, rel);
    for (let links = 0; ; links++) {
      if (!within(host, d.root)) throw new Refused(E.NOTCAPABLE);
      if (!wasiFollows) break;
      const at = walk(host, d.root, false);
      const st = at === null ? null : lstat(at);
      if (!st?.isSymbolicLink()) break;
      if (links >= MAX_LINKS) throw new Refused(E.LOOP);
      const target = readlinkSync(at as string, "utf8");
      // node:wasi reads an absolute target as a guest path; refuse rather than model it.
      if (isAbsolute(target) || target.includes("\0")) throw new Refused(E.NOTCAPABLE);
      host = resolve(dirname(host), target);
    }
    walk(host, d.root, osFollows);
    return host;
  }

  /**
   * Wraps node:wasi's imports in place so that every path a call names is checked first, and
   * writes under read-only mounts fail with EROFS. `paths[i]` is preopened as fd 3 + i, with
   * the host strings `preopens` returned.
   */
  function confine(
    imports: Record<string, WasiFn>,
    paths: SandboxPath[],
    memory: () => WasmMemory | null,
  ): void {
    const fds = new Map<number, FdEntry>();
    paths.forEach((p, i) => {
      const root = realpathSync(p.hostPath);
      fds.set(3 + i, { host: root, root, writable: p.writable });
    });
    const raw = { ...imports };
    const call = (name: string, args: (number | bigint)[]) => (raw[name] as WasiFn)(...args);

    /** The guest path at (ptr, len), or a Refused. */
    const guestPath = (ptr: Arg, len: Arg): string => {
      const mem = memory();
      const p = Number(ptr);
      const n = Number(len);
      if (
        !mem ||
        !Number.isInteger(p) ||
        !Number.isInteger(n) ||
        p < 0 ||
        n < 0 ||
        p + n > mem.buffer.byteLength
      ) {
        throw new Refused(E.FAULT);
      }
      try {
        return strictUtf8.decode(new Uint8Array(mem.buffer, p, n));
      } catch {
        throw new Refused(E.ILSEQ); // node fs would re-encode another name than uvwasi uses
      }
    };
    const entry = (fd: Arg): FdEntry => {
      const d = fds.get(Number(fd));
      if (!d) throw new Refused(E.BADF); // only preopens and fds opened from them name directories
      return d;
    };
    const check = (fd: Arg, ptr: Arg, len: Arg, wasiFollows: boolean, osFollows: boolean) => {
      const d = entry(fd);
      return { d, host: lookup(d, guestPath(ptr, len), wasiFollows, osFollows) };
    };
    const writable = (...fdArgs: Arg[]) => {
      for (const fd of fdArgs) if (!entry(fd).writable) throw new Refused(E.ROFS);
    };
    const follows = (flags: Arg) => (Number(flags) & LOOKUP_SYMLINK_FOLLOW) !== 0;
    /** Runs `pre` (checks that throw Refused), then node:wasi's `name`. */
    const guard =
      (name: string, pre: (args: (number | bigint)[]) => void) =>
      (...args: (number | bigint)[]) => {
        try {
          pre(args);
        } catch (e) {
          if (e instanceof Refused) return e.errno;
          throw e;
        }
        return call(name, args);
      };

    /** A call on one path whose last component is acted on itself (the OS does not follow it). */
    const onEntry = (name: string, writes: boolean) =>
      guard(name, ([fd, p, n]) => {
        if (writes) writable(fd);
        check(fd, p, n, false, false);
      });
    imports.path_create_directory = onEntry("path_create_directory", true);
    imports.path_remove_directory = onEntry("path_remove_directory", true);
    imports.path_unlink_file = onEntry("path_unlink_file", true);
    imports.path_readlink = onEntry("path_readlink", false);
    imports.path_rename = guard("path_rename", ([fd, p, n, fd2, p2, n2]) => {
      writable(fd, fd2);
      check(fd, p, n, false, false);
      check(fd2, p2, n2, false, false);
    });
    // stat and utimes: the libc call may follow a final symlink whatever the flag says.
    imports.path_filestat_get = guard("path_filestat_get", ([fd, flags, p, n]) => {
      check(fd, p, n, follows(flags), true);
    });
    imports.path_filestat_set_times = guard("path_filestat_set_times", ([fd, flags, p, n]) => {
      writable(fd);
      check(fd, p, n, follows(flags), true);
    });
    // link(2) follows a final symlink on some systems: check the old end as if it did.
    imports.path_link = guard("path_link", ([fd, flags, p, n, fd2, p2, n2]) => {
      writable(fd, fd2);
      check(fd, p, n, follows(flags), true);
      check(fd2, p2, n2, false, false);
    });
    // The link itself must be inside, and so must what its text names (an absolute or
    // escaping target is refused up front, not only when used).
    imports.path_symlink = guard("path_symlink", ([tp, tn, fd, p, n]) => {
      writable(fd);
      const { d, host } = check(fd, p, n, false, false);
      const target = guestPath(tp, tn);
      if (target === "" || isAbsolute(target) || target.includes("\0")) throw new Refused(E.NOTCAPABLE);
      const dest = resolve(dirname(host), target);
      if (!within(dest, d.root)) throw new Refused(E.NOTCAPABLE);
      walk(dest, d.root, true);
    });
    imports.path_open = (...args) => {
      const [fd, dirflags, p, n, oflags, rightsBase, , , out] = args;
      let d: FdEntry;
      let host: string;
      try {
        d = entry(fd);
        const writes =
          (Number(oflags) & OFLAGS_WRITE) !== 0 || (BigInt(rightsBase ?? 0) & RIGHTS_WRITE) !== 0n;
        if (writes && !d.writable) throw new Refused(E.ROFS);
        const follow = follows(dirflags);
        ({ host } = check(fd, p, n, follow, true));
        if (!follow) {
          // O_NOFOLLOW: the OS would open through a final symlink, so refuse it as POSIX does.
          const at = walk(host, d.root, false);
          if (at !== null && lstat(at)?.isSymbolicLink()) throw new Refused(E.LOOP);
        }
      } catch (e) {
        if (e instanceof Refused) return e.errno;
        throw e;
      }
      const errno = call("path_open", args);
      const mem = memory();
      if (errno === 0 && mem) {
        // node:wasi keeps the final host string it derived (final links followed) for the new fd.
        const opened = new DataView(mem.buffer).getUint32(Number(out), true);
        fds.set(opened, { host, root: d.root, writable: d.writable });
      }
      return errno;
    };
    imports.fd_close = (fd) => {
      const errno = call("fd_close", [fd]);
      if (errno === 0) fds.delete(Number(fd));
      return errno;
    };
    imports.fd_renumber = (from, to) => {
      const errno = call("fd_renumber", [from, to]);
      if (errno === 0) {
        const d = fds.get(Number(from));
        if (d) fds.set(Number(to), d);
        else fds.delete(Number(to));
        fds.delete(Number(from));
      }
      return errno;
    };
    // fd calls that change a file opened from a read-only mount.
    for (const name of ["fd_filestat_set_times", "fd_filestat_set_size", "fd_allocate"]) {
      imports[name] = guard(name, ([fd]) => {
        const d = fds.get(Number(fd));
        if (d && !d.writable) throw new Refused(E.ROFS);
      });
    }
  }

  /** node:wasi's preopens: guest path -> the mount's real host path (what confine checks against). */
  function preopens(paths: SandboxPath[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of paths) {
      if (Object.hasOwn(out, p.guestPath)) throw new Error(`two mounts at guest path ${p.guestPath}`);
      out[p.guestPath] = realpathSync(p.hostPath);
    }
    return out;
  }

  return { confine, preopens };
}

/** The sandbox's functions, for code that holds them. */
export type WasiSandbox = ReturnType<typeof wasiSandbox>;
