// WASI preview1 for plugins through node:wasi, one WASI context per call: no argv, env only
// from the allowlist, preopens only for allowedPaths (+ the per-call /tmp), stdio only when the
// policy grants it. node:wasi has no read-only preopens, so writes under read-only mounts are
// refused here by wrapping the path/fd calls that create, change or remove files.
import { closeSync, openSync } from "node:fs";
import { devNull } from "node:os";
import type { SandboxPath, StdioPolicy } from "./policy.js";
import type { WasmInstance, WasmMemory } from "./wasm-types.js";

type WasiCtor = typeof import("node:wasi").WASI;
type WasiFn = (...args: (number | bigint)[]) => number;

let wasiClass: Promise<WasiCtor> | null = null;

/** Loads node:wasi once, without printing Node's ExperimentalWarning for it. */
export function loadWasiClass(): Promise<WasiCtor> {
  wasiClass ??= (async () => {
    const original = process.emitWarning;
    process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
      const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
      const text = typeof warning === "string" ? warning : warning.message;
      if ((type === "ExperimentalWarning" || (warning as Error).name === "ExperimentalWarning") && /WASI/.test(text)) {
        return;
      }
      return (original as (...a: unknown[]) => void).call(process, warning, ...rest);
    } as typeof process.emitWarning;
    try {
      return (await import("node:wasi")).WASI;
    } finally {
      process.emitWarning = original;
    }
  })();
  return wasiClass;
}

/** Names of the WASI functions node:wasi provides (for link checks). */
export async function wasiFunctionNames(): Promise<Set<string>> {
  const WASI = await loadWasiClass();
  return new Set(Object.keys(new WASI({ version: "preview1" }).wasiImport));
}

/** One call's WASI context. */
export interface WasiContext {
  imports: Record<string, WasiFn>;
  /** Binds the instance's memory (and runs nothing). */
  bind(memory: WasmMemory): void;
  /** Exit status the plugin passed to proc_exit, if it called it. */
  exitStatus(): number | undefined;
  /** Closes the fds this context opened. */
  close(): void;
}

const ERRNO_ROFS = 69;
const OFLAGS_WRITE = 1 | 4 | 8; // CREAT | EXCL | TRUNC
const RIGHTS_WRITE = (1n << 6n) | (1n << 8n) | (1n << 22n); // FD_WRITE | FD_ALLOCATE | FD_FILESTAT_SET_SIZE

/** Creates the WASI context of one call. */
export function createWasi(
  WASI: WasiCtor,
  opts: { env: Record<string, string>; paths: SandboxPath[]; stdio: StdioPolicy },
): WasiContext {
  const opened: number[] = [];
  const nullFd = (flags: "r" | "w") => {
    const fd = openSync(devNull, flags);
    opened.push(fd);
    return fd;
  };
  let stdin: number;
  let stdout: number;
  let stderr: number;
  if (opts.stdio === "inherit") {
    [stdin, stdout, stderr] = [0, 1, 2];
  } else if (opts.stdio === "null") {
    stdin = nullFd("r");
    stdout = nullFd("w");
    stderr = stdout;
  } else {
    stdin = opts.stdio.stdin ?? nullFd("r");
    stdout = opts.stdio.stdout ?? nullFd("w");
    stderr = opts.stdio.stderr ?? nullFd("w");
  }
  const preopens: Record<string, string> = {};
  const readOnly = new Set<number>();
  opts.paths.forEach((p, i) => {
    preopens[p.guestPath] = p.hostPath;
    if (!p.writable) readOnly.add(3 + i); // node:wasi numbers preopens from fd 3, in order
  });
  const wasi = new WASI({ version: "preview1", args: [], env: opts.env, preopens, stdin, stdout, stderr, returnOnExit: true });
  const raw = wasi.wasiImport as Record<string, WasiFn>;
  let memory: WasmMemory | null = null;
  let exitStatus: number | undefined;
  const imports: Record<string, WasiFn> = { ...raw };
  imports.proc_exit = (code) => {
    exitStatus = Number(code);
    return (raw.proc_exit as WasiFn)(code);
  };
  if (readOnly.size > 0) guardReadOnly(imports, raw, readOnly, () => memory);
  return {
    imports,
    bind(mem) {
      memory = mem;
      // node:wasi only wants the memory; _initialize is run by the runtime itself.
      wasi.initialize({ exports: { memory: mem } } as unknown as WasmInstance);
    },
    exitStatus: () => exitStatus,
    close() {
      for (const fd of opened.splice(0)) closeSync(fd);
    },
  };
}

function guardReadOnly(
  imports: Record<string, WasiFn>,
  raw: Record<string, WasiFn>,
  ro: Set<number>,
  memory: () => WasmMemory | null,
): void {
  const call = (name: string, args: (number | bigint)[]) => (raw[name] as WasiFn)(...args);
  const denyIf =
    (name: string, ...fdArgs: number[]) =>
    (...args: (number | bigint)[]) =>
      fdArgs.some((i) => ro.has(Number(args[i]))) ? ERRNO_ROFS : call(name, args);
  imports.path_open = (...args) => {
    const [dirfd, , , , oflags, rightsBase] = args;
    const fromRo = ro.has(Number(dirfd));
    if (fromRo && ((Number(oflags) & OFLAGS_WRITE) !== 0 || (BigInt(rightsBase ?? 0) & RIGHTS_WRITE) !== 0n)) {
      return ERRNO_ROFS;
    }
    const errno = call("path_open", args);
    const mem = memory();
    if (errno === 0 && fromRo && mem) ro.add(new DataView(mem.buffer).getUint32(Number(args[8]), true));
    return errno;
  };
  imports.fd_close = (fd) => {
    const errno = call("fd_close", [fd]);
    if (errno === 0) ro.delete(Number(fd));
    return errno;
  };
  imports.fd_renumber = (from, to) => {
    const errno = call("fd_renumber", [from, to]);
    if (errno === 0) {
      if (ro.has(Number(from))) ro.add(Number(to));
      else ro.delete(Number(to));
      ro.delete(Number(from));
    }
    return errno;
  };
  imports.path_create_directory = denyIf("path_create_directory", 0);
  imports.path_remove_directory = denyIf("path_remove_directory", 0);
  imports.path_unlink_file = denyIf("path_unlink_file", 0);
  imports.path_filestat_set_times = denyIf("path_filestat_set_times", 0);
  imports.fd_filestat_set_times = denyIf("fd_filestat_set_times", 0);
  imports.fd_filestat_set_size = denyIf("fd_filestat_set_size", 0);
  imports.fd_allocate = denyIf("fd_allocate", 0);
  imports.path_symlink = denyIf("path_symlink", 2);
  imports.path_link = denyIf("path_link", 0, 4);
  imports.path_rename = denyIf("path_rename", 0, 3);
}
