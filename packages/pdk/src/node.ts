// Node-side access to the built prelude (for the compiler); never bundled into plugins.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CapstanError, ExitCode } from "@capstan/manifest";

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (
    !existsSync(join(dir, "package.json")) ||
    !readFileSync(join(dir, "package.json"), "utf8").includes('"name": "@capstan/pdk"')
  ) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot locate the @capstan/pdk package root");
    dir = up;
  }
  return dir;
}

/** Absolute path of dist/prelude.js, the script the compiler evaluates before a plugin bundle. */
export function preludePath(): string {
  const p = join(packageRoot(), "dist", "prelude.js");
  if (!existsSync(p)) {
    throw new CapstanError("PDK_PRELUDE_MISSING", `the PDK prelude ${p} has not been built`, {
      hint: "run `npx pnpm@9.15.9 --filter @capstan/pdk build`",
      exitCode: ExitCode.failure,
    });
  }
  return p;
}

/** The prelude's source text. */
export function readPrelude(): string {
  return readFileSync(preludePath(), "utf8");
}
