// Optional wasm-opt pass (Debian's binaryen package). The snapshot is mostly data, so the
// gain is small; skipped when wasm-opt is missing or with --skip-opt.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** True when a wasm-opt binary is on PATH. */
export function wasmOptAvailable(): boolean {
  const r = spawnSync("wasm-opt", ["--version"], { encoding: "utf8" });
  return r.status === 0;
}

/** Runs wasm-opt -O2 on the module; returns the input unchanged when wasm-opt is missing or fails. */
export function optimize(bytes: Uint8Array): { bytes: Uint8Array; ran: boolean } {
  if (!wasmOptAvailable()) return { bytes, ran: false };
  const dir = mkdtempSync(join(tmpdir(), "capstan-opt-"));
  try {
    const input = join(dir, "in.wasm");
    const output = join(dir, "out.wasm");
    writeFileSync(input, bytes);
    const r = spawnSync(
      "wasm-opt",
      [
        "-O2",
        "--enable-bulk-memory",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-nontrapping-float-to-int",
        input,
        "-o",
        output,
      ],
      { encoding: "utf8" },
    );
    if (r.status !== 0) return { bytes, ran: false };
    return { bytes: new Uint8Array(readFileSync(output)), ran: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
