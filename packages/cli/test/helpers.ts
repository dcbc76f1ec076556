// CLI test helpers: the BUILT capstan binary run against a temporary HOME and plugin home,
// plugin fixtures (sh scripts; Wasm assembled from test/fixtures/wat with wabt), and output
// sanitizing so snapshots do not depend on temp paths or the version.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The capstan executable under test (bin shim in front of dist/capstan.cjs). */
export const capstanBin = join(here, "..", "bin", "capstan.cjs");

/** Fails with a clear message when the bundle was not built. */
export function requireBuild(): void {
  if (!existsSync(join(here, "..", "dist", "capstan.cjs"))) {
    throw new Error(
      "packages/cli/dist/capstan.cjs is missing: run `npx pnpm@9.15.9 build` in packages/cli first",
    );
  }
}

/** A temporary HOME with an empty plugin home; `remove()` deletes it. */
export interface Home {
  root: string;
  plugins: string;
  env: Record<string, string>;
  remove(): void;
}

/** A fresh HOME; the environment has no HELM_/CAPSTAN_ variables of the machine. */
export function makeHome(): Home {
  const root = mkdtempSync(join(tmpdir(), "capstan-cli-"));
  const plugins = join(root, "plugins");
  mkdirSync(plugins);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: root,
    CAPSTAN_PLUGINS: plugins,
    XDG_DATA_HOME: join(root, ".local/share"),
    XDG_CONFIG_HOME: join(root, ".config"),
    XDG_CACHE_HOME: join(root, ".cache"),
    // The compiler's binaryen cache (optimized and linked engines) is content-addressed, so a
    // shared one isolates nothing away; a fresh one would re-optimize the engine (~20 s) per build.
    CAPSTAN_CACHE_DIR:
      process.env.CAPSTAN_CACHE_DIR ??
      join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "capstan"),
  };
  return { root, plugins, env, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Result of one capstan run. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built capstan with `args`; `input` goes to stdin. */
export function capstan(
  home: Home,
  args: string[],
  opts: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [capstanBin, ...args], {
      env: { ...home.env, ...opts.env },
      cwd: opts.cwd ?? home.root,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

/** Replaces the temp root and the repository path so output can be snapshotted. */
export function sanitize(home: Home, text: string): string {
  return text.replaceAll(home.root, "<HOME>").replaceAll(join(here, "..", ".."), "<PACKAGES>");
}

/** Writes `<plugins>/<dir>/plugin.yaml` plus files (scripts made executable). */
export function writePlugin(
  home: Home,
  dir: string,
  yaml: string,
  files: Record<string, string | Uint8Array> = {},
): string {
  const d = join(home.plugins, dir);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, "plugin.yaml"), yaml);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(d, name), content);
    if (name.endsWith(".sh")) chmodSync(join(d, name), 0o755);
  }
  return d;
}

type Wabt = {
  parseWat(
    name: string,
    text: string,
    features?: Record<string, boolean>,
  ): {
    toBinary(o: object): { buffer: Uint8Array };
    destroy(): void;
  };
};
let wabt: Promise<Wabt> | undefined;

/** Assembles test/fixtures/wat/<name>.wat (with ";; @include common" spliced in) to Wasm bytes. */
export async function assembleWat(name: string): Promise<Uint8Array> {
  wabt ??= import("wabt").then((m) => (m.default as unknown as () => Promise<Wabt>)());
  const dir = join(here, "fixtures", "wat");
  const common = readFileSync(join(dir, "common.inc.wat"), "utf8");
  const text = readFileSync(join(dir, `${name}.wat`), "utf8").replace(";; @include common", common);
  const mod = (await wabt).parseWat(`${name}.wat`, text, { bulk_memory: true });
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}
