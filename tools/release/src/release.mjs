#!/usr/bin/env node
// `npm run release`: publishes every public package under packages/ to the registry npm is
// configured for (or --registry). Nothing is published unless every package passes first:
// its build is present and made from the sources in the tree (the digests the build steps
// record, tools/build/freshness.mjs), its .d.ts are emitted, and its packed tarball (pnpm pack:
// `workspace:` ranges become versions, publishConfig points exports at dist/) holds every file
// its exports and bins name and no `workspace:` range. Then they are published in dependency
// order. Versions and changelogs come from changesets (`npm run version-packages`).
//
// Usage: node tools/release/src/release.mjs [--registry URL] [--pack-only DIR] [--dry-run]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inputDigest } from "@capstan/build-tools/freshness";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const pnpmVersion = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];

/** A refusal that names the package and the command that fixes it. */
export class ReleaseError extends Error {
  constructor(pkg, message, hint) {
    super(`${pkg}: ${message}`);
    this.name = "ReleaseError";
    this.hint = hint;
  }
}

const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));

/** Public packages under `<repo>/packages`, dependencies before dependents. */
export function publishablePackages(repo = root) {
  const dir = join(repo, "packages");
  const pkgs = readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, "package.json")))
    .map((d) => ({ dir: join(dir, d), json: readJson(join(dir, d, "package.json")) }))
    .filter((p) => p.json.private !== true);
  const byName = new Map(pkgs.map((p) => [p.json.name, p]));
  const ordered = [];
  const visit = (p, path = []) => {
    if (ordered.includes(p)) return;
    if (path.includes(p))
      throw new Error(`dependency cycle: ${[...path, p].map((q) => q.json.name).join(" -> ")}`);
    for (const dep of Object.keys({ ...p.json.dependencies, ...p.json.peerDependencies })) {
      const q = byName.get(dep);
      if (q) visit(q, [...path, p]);
    }
    ordered.push(p);
  };
  for (const p of pkgs) visit(p);
  return ordered;
}

/** Files under `dir` (recursive) that build-lib transpiles: .ts/.mts, no tests, no .d.ts. */
function libSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return libSources(p);
    return /\.(ts|mts)$/.test(e.name) && !/\.test\.ts$|\.d\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Each build record of a package: [file, recorded inputs, inputs now]. */
function buildRecords(pkg) {
  const { dir } = pkg;
  const records = [
    [join(dir, "dist", ".build-lib.json"), () => inputDigest(libSources(join(dir, "src")), dir)],
  ];
  if (existsSync(join(dir, "scripts", "bundle.mjs"))) {
    records.push([
      join(dir, "dist", ".bundle-inputs.json"),
      (rec) => inputDigest(rec.files.map((f) => join(dir, f)).filter(existsSync), dir),
    ]);
  }
  if (existsSync(join(dir, "scripts", "record-inputs.mjs"))) {
    records.push([
      join(dir, "build", "engine.inputs.json"),
      (rec) => {
        const now = inputDigest(
          [
            ...readdirSync(join(dir, "csrc")).map((f) => join(dir, "csrc", f)),
            join(dir, "scripts", "build-engine.mjs"),
          ],
          dir,
        );
        const wasm = join(dir, "build", "engine.wasm");
        const wasmNow = existsSync(wasm)
          ? createHash("sha256").update(readFileSync(wasm)).digest("hex")
          : "missing";
        return wasmNow === rec.wasm ? now : `${now} (engine.wasm changed)`;
      },
    ]);
  }
  return records;
}

/** Throws a ReleaseError when a build of `pkg` is missing or was made from other sources. */
export function checkBuild(pkg) {
  const name = pkg.json.name;
  const hint = `run \`npm run build\` (or \`pnpm --filter ${name} build\`), then release again`;
  for (const [file, now] of buildRecords(pkg)) {
    const rel = relative(pkg.dir, file);
    if (!existsSync(file)) throw new ReleaseError(name, `not built (${rel} is missing)`, hint);
    const rec = readJson(file);
    if (typeof rec.inputs !== "string")
      throw new ReleaseError(name, `${rel} records no source digest (built by an older build)`, hint);
    if (now(rec) !== rec.inputs)
      throw new ReleaseError(name, `the build is stale: the sources changed since ${rel} was written`, hint);
  }
}

/** Emits dist/types/ (.d.ts) for each package from its own tsconfig; hand-written .d.ts are copied. */
export async function emitTypes(pkgs) {
  const ts = (await import("typescript")).default;
  const cache = new Map();
  for (const pkg of pkgs) {
    const configFile = join(pkg.dir, "tsconfig.json");
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configFile,
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    const outDir = join(pkg.dir, "dist", "types");
    rmSync(outDir, { recursive: true, force: true });
    const options = {
      ...parsed.options,
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      sourceMap: false,
      rootDir: pkg.dir,
      outDir,
    };
    const src = join(pkg.dir, "src");
    const rootNames = parsed.fileNames.filter((f) => f.startsWith(`${src}/`) && !f.endsWith(".test.ts"));
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (file, lang, ...rest) => {
      // lib and @types files are the same for every package: parse them once.
      if (!file.includes("/node_modules/")) return getSourceFile.call(host, file, lang, ...rest);
      const key = `${file}\0${typeof lang === "object" ? lang.languageVersion : lang}`;
      if (!cache.has(key)) cache.set(key, getSourceFile.call(host, file, lang, ...rest));
      return cache.get(key);
    };
    const program = ts.createProgram({ rootNames, options, host });
    const result = program.emit(undefined, (file, text) => {
      if (!file.startsWith(`${outDir}/`)) return;
      mkdirSync(dirname(file), { recursive: true });
      ts.sys.writeFile(file, text);
    });
    const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      const text = ts.formatDiagnostics(errors, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => pkg.dir,
        getNewLine: () => "\n",
      });
      throw new ReleaseError(
        pkg.json.name,
        `cannot emit its .d.ts:\n${text}`,
        "fix the types, then release again",
      );
    }
    for (const f of walk(src).filter((f) => f.endsWith(".d.ts"))) {
      const dest = join(outDir, relative(pkg.dir, f));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(f, dest);
    }
  }
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every file path an exports map or bin names (wildcards dropped). */
function namedFiles(json) {
  const out = [];
  const visit = (v) => {
    if (typeof v === "string") {
      if (!v.includes("*")) out.push(v.replace(/^\.\//, ""));
    } else if (v && typeof v === "object") for (const x of Object.values(v)) visit(x);
  };
  visit(json.exports);
  visit(json.bin);
  visit(json.types);
  return out;
}

let pnpmBin;
/**
 * pnpm at the repository's pinned version (through npx once, then its binary directly).
 * CAPSTAN_PNPM names a pnpm binary to use instead: the registry end-to-end test passes the one
 * it already has, so the registry under test need not proxy pnpm's large packument.
 */
function pnpm() {
  pnpmBin ??=
    process.env.CAPSTAN_PNPM ||
    execFileSync("npx", ["--yes", "-p", `pnpm@${pnpmVersion}`, "-c", "command -v pnpm"], {
      encoding: "utf8",
    }).trim();
  return pnpmBin;
}

/** Packs `pkg` into `outDir` with the LICENSE beside it; checks the tarball; returns its path. */
export function pack(pkg, outDir) {
  const name = pkg.json.name;
  const license = join(pkg.dir, "LICENSE");
  copyFileSync(join(root, "LICENSE"), license);
  let out;
  try {
    out = execFileSync(pnpm(), ["pack", "--pack-destination", outDir], {
      cwd: pkg.dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } finally {
    rmSync(license, { force: true });
  }
  const tgz = out
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.endsWith(".tgz"));
  if (!tgz)
    throw new ReleaseError(
      name,
      `pnpm pack printed no tarball:\n${out}`,
      "run pnpm pack in the package to see why",
    );
  const file = resolve(pkg.dir, tgz);
  const members = new Set(
    execFileSync("tar", ["-tzf", file], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map((m) => m.replace(/^package\//, "")),
  );
  const packed = JSON.parse(
    execFileSync("tar", ["-xzOf", file, "package/package.json"], { encoding: "utf8" }),
  );
  const ranges = Object.entries({
    ...packed.dependencies,
    ...packed.peerDependencies,
    ...packed.optionalDependencies,
  });
  const workspace = ranges.filter(([, v]) => String(v).startsWith("workspace:"));
  if (workspace.length > 0)
    throw new ReleaseError(
      name,
      `workspace: ranges survived packing: ${workspace.map(([k]) => k).join(", ")}`,
      "pack with pnpm (it rewrites them)",
    );
  const missing = namedFiles(packed).filter((f) => !members.has(f));
  for (const f of ["README.md", "LICENSE", "package.json"]) if (!members.has(f)) missing.push(f);
  if (missing.length > 0) {
    throw new ReleaseError(
      name,
      `the tarball lacks ${missing.join(", ")}`,
      `run \`npm run build\`; check "files" in ${name}'s package.json`,
    );
  }
  return file;
}

/** Checks, emits types and packs every package (nothing published); returns the tarballs. */
export async function prepare(outDir, pkgs = publishablePackages()) {
  for (const pkg of pkgs) checkBuild(pkg);
  await emitTypes(pkgs);
  mkdirSync(outDir, { recursive: true });
  return pkgs.map((pkg) => ({ name: pkg.json.name, version: pkg.json.version, tgz: pack(pkg, outDir) }));
}

/** Whether `name@version` is already in the registry (a release that stopped half way resumes). */
function published(name, version, registry) {
  try {
    const args = ["view", `${name}@${version}`, "version", ...(registry ? ["--registry", registry] : [])];
    return (
      execFileSync("npm", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() === version
    );
  } catch {
    return false;
  }
}

async function main(argv) {
  const opt = (flag) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const registry = opt("--registry");
  const packOnly = opt("--pack-only");
  const dryRun = argv.includes("--dry-run");
  const outDir = packOnly ? resolve(packOnly) : mkdtempSync(join(tmpdir(), "capstan-release-"));
  try {
    const tarballs = await prepare(outDir);
    for (const t of tarballs)
      process.stdout.write(
        `packed ${t.name}@${t.version}: ${relative(process.cwd(), t.tgz)} (${statSync(t.tgz).size} bytes)\n`,
      );
    if (packOnly) return 0;
    for (const t of tarballs) {
      if (published(t.name, t.version, registry)) {
        process.stdout.write(`skipped ${t.name}@${t.version}: already published\n`);
        continue;
      }
      const args = [
        "publish",
        t.tgz,
        "--access",
        "public",
        ...(registry ? ["--registry", registry] : []),
        ...(dryRun ? ["--dry-run"] : []),
      ];
      execFileSync("npm", args, { stdio: ["ignore", "inherit", "inherit"] });
      process.stdout.write(`published ${t.name}@${t.version}${dryRun ? " (dry run)" : ""}\n`);
    }
    return 0;
  } finally {
    if (!packOnly) rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ""}`);
      process.exit(1);
    },
  );
}
