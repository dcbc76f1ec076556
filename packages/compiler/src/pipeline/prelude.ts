import { readFileSync } from "node:fs";
import { CompilerError } from "../errors.js";

/** The PDK prelude's source: an explicit file, else @capstan/pdk's built dist/prelude.js. */
export async function loadPrelude(file?: string): Promise<{ filename: string; source: string }> {
  if (file) return { filename: "capstan-prelude.js", source: readFileSync(file, "utf8") };
  try {
    const pdk = (await import("@capstan/pdk/node")) as { preludePath(): string };
    return { filename: "capstan-prelude.js", source: readFileSync(pdk.preludePath(), "utf8") };
  } catch (e) {
    throw new CompilerError("COMPILER_PRELUDE", `the PDK prelude is not available: ${(e as Error).message}`, {
      hint: "run `npx pnpm@9.15.9 --filter @capstan/pdk build`",
      cause: e,
    });
  }
}
