// Where a plugin's TypeScript entry and interface file are (rule documented in docs/compiler.md):
// entry = package.json "capstan.entry", else package.json "main" when it names an existing
// .ts/.mts/.js file, else the first of src/index.ts, src/plugin.ts, plugin.ts, index.ts,
// src/index.js, plugin.js, index.js. Interface = package.json "capstan.interface", else
// plugin.d.ts or interface.d.ts in the plugin directory or its src/, else none (manifest defaults).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CompilerError } from "../errors.js";

const CANDIDATES = [
  "src/index.ts",
  "src/plugin.ts",
  "plugin.ts",
  "index.ts",
  "src/index.js",
  "plugin.js",
  "index.js",
];

interface PackageJson {
  main?: string;
  capstan?: { entry?: string; interface?: string };
}

function readPackageJson(dir: string): PackageJson {
  const p = join(dir, "package.json");
  if (!existsSync(p)) return {};
  try {
    return JSON.parse(readFileSync(p, "utf8")) as PackageJson;
  } catch (e) {
    throw new CompilerError("COMPILER_INPUT", `${p}: invalid JSON: ${(e as Error).message}`);
  }
}

/** Absolute path of the plugin's entry source file. */
export function findEntry(dir: string): string {
  const pkg = readPackageJson(dir);
  if (pkg.capstan?.entry) {
    const p = join(dir, pkg.capstan.entry);
    if (!existsSync(p))
      throw new CompilerError(
        "COMPILER_INPUT",
        `${join(dir, "package.json")}: capstan.entry ${pkg.capstan.entry} does not exist`,
      );
    return p;
  }
  if (
    pkg.main &&
    /\.(ts|mts|js|mjs|cjs)$/.test(pkg.main) &&
    !pkg.main.endsWith(".d.ts") &&
    existsSync(join(dir, pkg.main))
  )
    return join(dir, pkg.main);
  for (const c of CANDIDATES) if (existsSync(join(dir, c))) return join(dir, c);
  throw new CompilerError(
    "COMPILER_INPUT",
    `${dir}: no plugin entry found (looked for ${CANDIDATES.join(", ")})`,
    {
      hint: 'create src/index.ts or set "capstan": {"entry": "..."} in package.json',
    },
  );
}

/** Where the build looks for the interface file, in order (`capstan plugin codegen` writes
 *  src/interface.d.ts by default). */
export const INTERFACE_CANDIDATES = [
  "plugin.d.ts",
  "interface.d.ts",
  "src/plugin.d.ts",
  "src/interface.d.ts",
];

/** Absolute path of the plugin's interface file, or undefined. */
export function findInterface(dir: string): string | undefined {
  const pkg = readPackageJson(dir);
  if (pkg.capstan?.interface) return join(dir, pkg.capstan.interface);
  for (const c of INTERFACE_CANDIDATES) if (existsSync(join(dir, c))) return join(dir, c);
  return undefined;
}
