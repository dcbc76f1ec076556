// WASI access for plugins (Capstan extension): `process` (a small Node-compatible subset: env,
// stdout, stderr, cwd, argv, platform, nextTick, emitWarning) and `Capstan` (readFile, readDir, stat,
// readTextFile). Both read WASI at call time, never the snapshot's state. The host decides what
// is visible: env names from runtimeConfig.env, files under runtimeConfig.allowedPaths, and
// stdout/stderr only for cli/v1 plugins (elsewhere writes are discarded).
import { defineGlobal } from "./define.js";
import { kernel } from "./kernel.js";

function envGet(name: string): string | undefined {
  return kernel.envGet?.(name) ?? undefined;
}

// Values set by the plugin shadow the host's for the rest of the call (like Node).
const overrides = new Map<string, string | undefined>();
const env = new Proxy({} as Record<string, string | undefined>, {
  get: (_t, k) => (typeof k !== "string" ? undefined : overrides.has(k) ? overrides.get(k) : envGet(k)),
  set: (_t, k, v) => {
    if (typeof k === "string") overrides.set(k, v === undefined ? undefined : String(v));
    return true;
  },
  deleteProperty: (_t, k) => {
    if (typeof k === "string") overrides.set(k, undefined);
    return true;
  },
  has: (_t, k) =>
    typeof k === "string" && (overrides.has(k) ? overrides.get(k) !== undefined : envGet(k) !== undefined),
  ownKeys: () => {
    const names = new Set([...(kernel.envNames?.() ?? []), ...overrides.keys()]);
    return [...names].filter((n) => (overrides.has(n) ? overrides.get(n) !== undefined : true));
  },
  getOwnPropertyDescriptor: (_t, k) => {
    const v = typeof k === "string" ? (overrides.has(k) ? overrides.get(k) : envGet(k)) : undefined;
    return v === undefined ? undefined : { value: v, writable: true, enumerable: true, configurable: true };
  },
});

function toWritable(chunk: unknown): string | ArrayBuffer {
  if (typeof chunk === "string") return chunk;
  if (chunk instanceof ArrayBuffer) return chunk;
  if (ArrayBuffer.isView(chunk)) {
    return (chunk.buffer as ArrayBuffer).slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength);
  }
  return String(chunk);
}

function stream(fd: number) {
  return {
    fd,
    isTTY: false,
    /** Writes a string (UTF-8) or bytes; returns true like Node's stream.write. */
    write(chunk: unknown, encodingOrCb?: unknown, cb?: unknown): boolean {
      if (!kernel.fdWrite) throw new Error("process.stdout/stderr: this engine has no WASI output");
      kernel.fdWrite(fd, toWritable(chunk));
      const done = typeof encodingOrCb === "function" ? encodingOrCb : cb;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    },
  };
}

defineGlobal("process", {
  env,
  argv: [] as string[],
  platform: "wasi",
  // Empty on purpose: libraries that test process.versions.node must not take Node paths.
  versions: {} as Record<string, string>,
  stdout: stream(1),
  stderr: stream(2),
  exitCode: undefined as number | undefined,
  /** The user's working directory when the host allows PWD (runtimeConfig.env), else "/". */
  cwd: (): string => envGet("PWD") ?? "/",
  nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
  emitWarning: (w: unknown) => console.warn(w instanceof Error ? `${w.name}: ${w.message}` : String(w)),
});

function readFile(path: string): Uint8Array {
  if (!kernel.readFile) throw new Error("Capstan.readFile: this engine has no WASI file access");
  return new Uint8Array(kernel.readFile(String(path)));
}

/** One directory entry of Capstan.readDir. */
interface DirEntry {
  name: string;
  type: "file" | "directory" | "symlink" | "other";
}

function readDir(path: string): DirEntry[] {
  if (!kernel.readDir) throw new Error("Capstan.readDir: this engine has no WASI directory access");
  const entries = kernel.readDir(String(path)) as DirEntry[];
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function stat(path: string) {
  if (!kernel.stat) throw new Error("Capstan.stat: this engine has no WASI file access");
  const s = kernel.stat(String(path));
  return {
    ...s,
    isFile: () => s.type === "file",
    isDirectory: () => s.type === "directory",
  };
}

defineGlobal("Capstan", {
  /** Bytes of a file; `path` is absolute inside a directory mounted by runtimeConfig.allowedPaths. */
  readFile,
  /** A file decoded as UTF-8. */
  readTextFile: (path: string): string => new TextDecoder().decode(readFile(path)),
  /** A directory's entries `{name, type}`, sorted by name (same paths as readFile). */
  readDir,
  /** `{type, size, mtimeMs, atimeMs, ctimeMs, isFile(), isDirectory()}` of a path (symlinks followed). */
  stat,
});
