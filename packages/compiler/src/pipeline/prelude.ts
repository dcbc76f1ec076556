import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CompilerError } from "../errors.js";

/** Path of @capstan/pdk's built prelude (dist/prelude.js; the package's "./prelude" export). */
export function defaultPreludePath(): string {
  const req = createRequire(import.meta.url);
  return join(dirname(req.resolve("@capstan/pdk/package.json")), "dist", "prelude.js");
}

/** The PDK prelude's source: an explicit file, else @capstan/pdk's built dist/prelude.js. */
export function loadPrelude(file?: string): { filename: string; source: string } {
  const path = file ?? defaultPreludePath();
  if (!existsSync(path)) {
    throw new CompilerError("COMPILER_PRELUDE", `the PDK prelude ${path} has not been built`, {
      hint: "run `npx pnpm@9.15.9 --filter @capstan/pdk build`",
    });
  }
  return { filename: "capstan-prelude.js", source: readFileSync(path, "utf8") };
}
