// Runs Wizer on engine.wasm: the engine evaluates the init input (scripts, export and import
// tables) read from stdin, and the initialized instance becomes the snapshot module.
// Extism kernel functions and the declared host functions are preloaded as trapping stubs:
// top-level plugin code must not call them (they only exist at call time).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineExports, kernelImports } from "@capstan/engine";
import { CompilerError } from "../errors.js";
import type { ImportDecl } from "../interface/types.js";

function stubWat(funcs: ReadonlyArray<{ name: string; params: string[]; result: string | null }>): string {
  const lines = funcs.map(
    (f) =>
      `  (func (export "${f.name}")${f.params.length ? ` (param ${f.params.join(" ")})` : ""}${f.result ? ` (result ${f.result})` : ""} unreachable)`,
  );
  return `(module\n${lines.join("\n")}\n)\n`;
}

async function wizerBinary(): Promise<string> {
  // A variable specifier: the package has no type declarations (its default export is the
  // native binary's path) and consumers' type checks must not need an ambient module.
  const spec = "@bytecodealliance/wizer";
  try {
    const mod = (await import(spec)) as { default: string };
    return mod.default;
  } catch (e) {
    // The native binary is an optional dependency per platform: an install with
    // --no-optional, or a lockfile resolved on another platform, leaves it out.
    throw new CompilerError(
      "COMPILER_WIZER",
      `the Wizer binary for ${process.platform}-${process.arch} is missing: ${(e as Error).message.split("\n")[0]}`,
      {
        hint: "run `npx pnpm@9.15.9 install` from the repository root (with optional dependencies)",
        cause: e,
      },
    );
  }
}

const WASM_TYPES = { I32: "i32", I64: "i64", F32: "f32", F64: "f64" } as const;

/** Snapshots the linked engine (bytes) after evaluating `initInput`; returns the snapshot. */
export async function snapshot(
  engine: Uint8Array,
  initInput: Uint8Array,
  userImports: ImportDecl[],
): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "capstan-wizer-"));
  try {
    const input = join(dir, "engine.wasm");
    const env = join(dir, "env.wat");
    const out = join(dir, "snapshot.wasm");
    writeFileSync(input, engine);
    writeFileSync(env, stubWat(kernelImports));
    const args = [
      input,
      "-o",
      out,
      "--allow-wasi",
      "--init-func",
      engineExports.init,
      "--inherit-stdio",
      "true",
    ];
    args.push("--preload", `extism:host/env=${env}`);
    if (userImports.length > 0) {
      const user = join(dir, "user.wat");
      writeFileSync(
        user,
        stubWat(
          userImports.map((i) => ({
            name: i.name,
            params: i.params.map((t) => WASM_TYPES[t]),
            result: i.result ? WASM_TYPES[i.result] : null,
          })),
        ),
      );
      args.push("--preload", `extism:host/user=${user}`);
    }
    const bin = await wizerBinary();
    const stderr = await new Promise<string>((resolve, reject) => {
      const p = spawn(bin, args, { stdio: ["pipe", "ignore", "pipe"] });
      let err = "";
      p.stderr.on("data", (d: Buffer) => {
        err += d.toString();
      });
      p.on("error", reject);
      p.on("close", (code) =>
        code === 0
          ? resolve(err)
          : reject(new CompilerError("COMPILER_SNAPSHOT", snapshotMessage(err, code))),
      );
      p.stdin.on("error", () => {});
      p.stdin.end(Buffer.from(initInput.buffer, initInput.byteOffset, initInput.byteLength));
    });
    void stderr;
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function snapshotMessage(stderr: string, code: number | null): string {
  // The engine prints "capstan engine: <what>: <error text>" (the error text may span lines).
  const at = stderr.indexOf("capstan engine: ");
  if (at >= 0) {
    const text = stderr.slice(at + "capstan engine: ".length).split("\nError: failed to run")[0] ?? "";
    return `evaluating the plugin failed: ${text.trim()}`;
  }
  if (/unreachable/.test(stderr))
    return "the plugin's top-level code called a host API (Host, Config, Var, Http, console...) while the snapshot was taken; call it inside an exported function instead";
  return `wizer failed (exit ${code}): ${stderr.trim().split("\n").slice(-5).join("\n")}`;
}
