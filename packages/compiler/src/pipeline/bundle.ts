// Bundles the plugin entry (TS or JS, npm imports allowed) into one CommonJS-style script
// with esbuild, ES2020, with an external source map kept for error positions.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { CompilerError } from "../errors.js";
import { NODE_FS_HINT, refuseNodeFs } from "./node-fs.js";

/** The bundled script and its source map (sources relative to `baseDir`). */
export interface Bundle {
  code: string;
  map: { sources: string[]; mappings: string; names: string[] };
  /** Bytes each npm package or own file contributes to `code`, largest first. */
  inputs: Array<{ path: string; bytes: number }>;
}

/** node_modules directories holding the compiler's own @capstan/pdk (workspace or npm layout). */
function compilerNodeModules(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "..", "..", "node_modules"), join(here, "..", "node_modules")];
  try {
    candidates.push(
      dirname(dirname(dirname(createRequire(import.meta.url).resolve("@capstan/pdk/package.json")))),
    );
  } catch {
    // not resolvable: only the candidates above
  }
  return candidates.filter((d) => existsSync(join(d, "@capstan", "pdk", "package.json")));
}

/** Bundles `entry`; module.exports of the entry becomes the plugin's exports. */
export async function bundle(entry: string, baseDir = dirname(resolve(entry))): Promise<Bundle> {
  const abs = resolve(entry);
  let result: Awaited<ReturnType<typeof build>>;
  try {
    result = await build({
      entryPoints: [abs],
      bundle: true,
      write: false,
      format: "cjs",
      platform: "neutral",
      mainFields: ["main", "module"],
      // Fallback for projects without @capstan/pdk installed (`capstan plugin create`): the
      // compiler's own node_modules, searched only after the project's.
      nodePaths: compilerNodeModules(),
      // "capstan": packages with a plugin-side build (@capstan/pdk/yaml: the engine's native YAML)
      conditions: ["capstan", "require", "default"],
      target: "es2020",
      sourcemap: "external",
      sourcesContent: false,
      absWorkingDir: resolve(baseDir),
      outfile: resolve(baseDir, "plugin.bundle.js"),
      logLevel: "silent",
      legalComments: "none",
      charset: "utf8",
      metafile: true,
      plugins: [refuseNodeFs],
    });
  } catch (e) {
    const errors = (
      e as {
        errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }>;
      }
    ).errors;
    if (errors && errors.length > 0) {
      const lines = errors.map((er) =>
        er.location
          ? `${er.location.file}:${er.location.line}:${er.location.column + 1}: ${er.text}`
          : er.text,
      );
      throw new CompilerError(
        "COMPILER_BUNDLE",
        `bundling ${relative(process.cwd(), abs) || abs} failed:\n${lines.join("\n")}`,
        {
          hint: lines.some((l) => l.includes(NODE_FS_HINT))
            ? NODE_FS_HINT
            : "fix the import (npm dependencies must be installed; Node built-ins are not available inside a plugin)",
        },
      );
    }
    throw e;
  }
  const files = result.outputFiles ?? [];
  const js = files.find((f) => f.path.endsWith(".js"));
  const map = files.find((f) => f.path.endsWith(".js.map"));
  if (!js || !map) throw new CompilerError("COMPILER_BUNDLE", "esbuild produced no output");
  const code = js.text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");
  const parsed = JSON.parse(map.text) as Bundle["map"];
  const out = Object.values(result.metafile?.outputs ?? {}).find((o) => o.entryPoint !== undefined);
  // By npm package (the last node_modules/<name> in the path), else by file.
  const byInput = new Map<string, number>();
  for (const [path, i] of Object.entries(out?.inputs ?? {})) {
    const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
    const key = pkg ? `${pkg} (npm)` : path;
    byInput.set(key, (byInput.get(key) ?? 0) + i.bytesInOutput);
  }
  const inputs = [...byInput].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { code, map: { sources: parsed.sources, mappings: parsed.mappings, names: [] }, inputs };
}
