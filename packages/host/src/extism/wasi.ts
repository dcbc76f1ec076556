// Loading node:wasi on the main thread (quietly) and the names it provides. The per-call WASI
// context (env allowlist, preopens, read-only mounts, stdio) is built by core.ts createWasi.

type WasiCtor = typeof import("node:wasi").WASI;

let wasiClass: Promise<WasiCtor> | null = null;

/** Loads node:wasi once, without printing Node's ExperimentalWarning for it. */
export function loadWasiClass(): Promise<WasiCtor> {
  wasiClass ??= (async () => {
    const original = process.emitWarning;
    process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
      const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
      const text = typeof warning === "string" ? warning : warning.message;
      if (
        (type === "ExperimentalWarning" || (warning as Error).name === "ExperimentalWarning") &&
        /WASI/.test(text)
      ) {
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
