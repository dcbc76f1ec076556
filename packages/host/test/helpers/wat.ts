// Assembles the WAT fixtures (test/fixtures/wat/*.wat) to .wasm files at test time with npm
// wabt, so binaries are never committed. A line `;; @include NAME` splices in NAME.inc.wat (imports must precede definitions in WAT, hence two parts).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

/** Directory of the WAT sources. */
export const watDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "wat");

let wabt: Awaited<ReturnType<typeof wabtInit>> | null = null;

/** Expands `;; @include NAME` lines with fixtures/wat/NAME.inc.wat. */
export async function watSource(name: string): Promise<string> {
  const text = await readFile(join(watDir, `${name}.wat`), "utf8");
  const parts = await Promise.all(
    text.split("\n").map(async (line) => {
      const m = /^\s*;; @include ([\w-]+)\s*$/.exec(line);
      return m ? readFile(join(watDir, `${m[1]}.inc.wat`), "utf8") : line;
    }),
  );
  return parts.join("\n");
}

/** Assembles fixtures/wat/NAME.wat (or given text) into `outDir/NAME.wasm`; returns the path. */
export async function assembleWat(name: string, outDir: string, text?: string): Promise<string> {
  wabt ??= await wabtInit();
  const source = text ?? (await watSource(name));
  const module = wabt.parseWat(`${name}.wat`, source);
  try {
    module.resolveNames();
    module.validate();
    const { buffer } = module.toBinary({});
    const out = join(outDir, `${name}.wasm`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, buffer);
    return out;
  } finally {
    module.destroy();
  }
}
