// Scaffold (plugin create) - see docs/cli.md. Writes a plugin project from templates/common
// plus templates/<type>/, replacing __TOKEN__ placeholders. Template files that npm or jest
// would treat specially are stored as `_gitignore` / `_helmignore` / `_package.json` and renamed
// here.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CapstanError, ExitCode } from "@capstan/manifest";

/** The plugin types `plugin create` knows, with what their README says. */
const SCAFFOLD_TYPES = {
  cli: {
    type: "cli/v1",
    behaviour:
      "`__NAME__ [--shout] [name...]` prints a greeting (the word comes from runtimeConfig.config.greeting).",
    usage:
      "capstan __NAME__ Ada Linus          # Hello, Ada and Linus!\nhelm __NAME__ --shout               # Helm 4",
  },
  getter: {
    type: "getter/v1",
    behaviour:
      "Serves `__PROTOCOL__://host/path` URLs by fetching `https://host/path` (plain http for\nlocalhost), with basic auth. Grant the hosts you need in runtimeConfig.allowedHosts.",
    usage:
      "capstan pull __PROTOCOL__://charts.example.com/web-1.0.0.tgz\nhelm pull __PROTOCOL__://charts.example.com/web-1.0.0.tgz   # Helm 4",
  },
  postrenderer: {
    type: "postrenderer/v1",
    behaviour:
      "Drops empty documents and the kinds named by `--drop-kind Kind` (repeatable) or\nruntimeConfig.config.dropKinds; the other documents pass byte for byte.",
    usage:
      "helm template web ./chart | capstan postrender __NAME__ -- --drop-kind Secret\nhelm install web ./chart --post-renderer __NAME__ --post-renderer-args --drop-kind --post-renderer-args Secret   # Helm 4",
  },
} as const;

/** A scaffold type name (`cli`, `getter`, `postrenderer`). */
export type ScaffoldType = keyof typeof SCAFFOLD_TYPES;

/** What to create. */
export interface ScaffoldOptions {
  type: ScaffoldType;
  name: string;
  /** Directory to create the project in (the project is `<parent>/<name>`). */
  parent: string;
  /** getter only: URL schemes the plugin serves (default: from the name). */
  protocols?: string[];
  /** Version of capstan (for the @capstan/* dependency ranges). */
  version: string;
}

/** What was created. */
export interface ScaffoldResult {
  dir: string;
  files: string[];
  /** True when the project sits in a Capstan workspace and depends on it with workspace:*. */
  workspace: boolean;
}

const NAME = /^[A-Za-z0-9_-]+$/;
const SCHEME = /^[a-z][a-z0-9+.-]*$/;
const RENAMES: Record<string, string> = {
  _gitignore: ".gitignore",
  _helmignore: ".helmignore",
  "_package.json": "package.json",
};

function usage(code: string, message: string, hint: string): CapstanError {
  return new CapstanError(code, message, { exitCode: ExitCode.usage, hint });
}

/** Checks a plugin name against plugin.yaml's rule; throws a usage error naming the rule. */
export function checkPluginName(name: string): void {
  if (!NAME.test(name)) {
    throw usage(
      "bad-plugin-name",
      `"${name}" is not a valid plugin name: plugin.yaml names use only letters, digits, "_" and "-"`,
      "pick a name like my-plugin (it is also the directory name and the command word)",
    );
  }
  // plugin.yaml allows these, but a command word cannot start with "-" and an npm package
  // name cannot start with "_".
  if (name.startsWith("-") || name.startsWith("_")) {
    throw usage(
      "bad-plugin-name",
      `"${name}" starts with "${name[0]}": it would be read as a flag or rejected as an npm package name`,
      "start the name with a letter or digit, e.g. my-plugin",
    );
  }
}

/** The default URL scheme for a getter called `name`: lower-case, "_" as "-", starts with a letter. */
function defaultProtocol(name: string): string {
  const p = name
    .toLowerCase()
    .replace(/_/g, "-")
    .replace(/^[^a-z]+/, "");
  return p === "" ? "custom" : p;
}

/** Checks getter schemes: URL syntax, and not the built-in http/https. */
function checkProtocols(protocols: string[]): void {
  if (protocols.length === 0)
    throw usage("bad-protocol", "--protocol needs at least one URL scheme", "e.g. --protocol s3");
  for (const p of protocols) {
    if (!SCHEME.test(p)) {
      throw usage(
        "bad-protocol",
        `"${p}" is not a URL scheme (lower-case letter first, then letters, digits, "+", "-", ".")`,
        "pass the scheme without '://', e.g. --protocol s3",
      );
    }
    if (p === "http" || p === "https") {
      throw usage(
        "bad-protocol",
        `"${p}" is built into the host and no getter plugin can serve it`,
        "choose another scheme, e.g. --protocol mycharts",
      );
    }
  }
}

/** packages/cli/templates, found from this file (src/, dist/ or dist/chunks/). */
export function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "templates");
    if (existsSync(join(candidate, "common"))) return candidate;
    dir = dirname(dir);
  }
  throw new CapstanError(
    "templates-missing",
    "the plugin templates are missing from this capstan installation",
    {
      exitCode: ExitCode.failure,
      hint: "reinstall @capstan/cli (its package must include templates/)",
    },
  );
}

/** The root of a Capstan source workspace containing `dir`, if any (for workspace:* deps). */
function capstanWorkspace(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, "pnpm-workspace.yaml"))) {
      try {
        const pdk = JSON.parse(readFileSync(join(d, "packages", "pdk", "package.json"), "utf8")) as {
          name?: string;
        };
        return pdk.name === "@capstan/pdk" ? d : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** Files under `dir`, relative, sorted. */
function listFiles(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel))
    .sort()
    .flatMap((e) => {
      const r = rel === "" ? e : `${rel}/${e}`;
      return statSync(join(dir, r)).isDirectory() ? listFiles(dir, r) : [r];
    });
}

/** Writes the project; refuses an existing directory. */
export function scaffold(opts: ScaffoldOptions): ScaffoldResult {
  checkPluginName(opts.name);
  const row = SCAFFOLD_TYPES[opts.type];
  const protocols = opts.protocols ?? [defaultProtocol(opts.name)];
  if (opts.type === "getter") checkProtocols(protocols);
  const templates = templatesDir();
  const dir = resolve(opts.parent, opts.name);
  try {
    mkdirSync(resolve(opts.parent), { recursive: true });
  } catch (e) {
    throw new CapstanError("bad-dir", `cannot create ${resolve(opts.parent)}: ${(e as Error).message}`, {
      exitCode: ExitCode.usage,
      hint: "pass --dir a directory you can write to",
    });
  }
  try {
    // Not recursive: fails when the directory exists, so nothing is ever overwritten.
    mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    throw new CapstanError("target-exists", `${dir} already exists; plugin create never overwrites files`, {
      exitCode: ExitCode.usage,
      hint: "pick another name or --dir, or remove the directory first",
    });
  }
  const workspace = capstanWorkspace(dir) !== undefined;
  const range = workspace ? "workspace:*" : `^${opts.version}`;
  const tokens: Record<string, string> = {
    // Longer texts first: they contain shorter tokens.
    __BEHAVIOUR__: row.behaviour,
    __USAGE__: row.usage,
    __PACKAGE_NAME__: opts.name.toLowerCase(),
    __PROTOCOLS__: protocols.join(", "),
    __PROTOCOL__: protocols[0]!,
    __PDK_SPEC__: range,
    __CLI_SPEC__: range,
    __TS_SPEC__: "~5.9.3",
    __TYPE__: row.type,
    __KIND__: opts.type,
    __NAME__: opts.name,
  };
  const render = (text: string) => Object.entries(tokens).reduce((t, [k, v]) => t.replaceAll(k, v), text);
  const written = new Map<string, string>();
  for (const base of [join(templates, "common"), join(templates, opts.type)]) {
    for (const rel of listFiles(base)) {
      const parts = rel.split("/");
      parts[parts.length - 1] = RENAMES[parts.at(-1)!] ?? parts.at(-1)!;
      written.set(parts.join("/"), render(readFileSync(join(base, rel), "utf8")));
    }
  }
  try {
    for (const [rel, text] of written) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  } catch (e) {
    // No half-written project: the directory was created above, by this call.
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, files: [...written.keys()].sort(), workspace };
}
