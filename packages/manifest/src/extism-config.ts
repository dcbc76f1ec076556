// runtimeConfig for extism/v1: Helm 4's keys plus Capstan's `allowedPaths` and `env`.
// Unknown keys are warnings (Helm drops them silently); wrong values of known keys are errors.
import { posix, win32 } from "node:path";
import type { AllowedPath, ExtismRuntimeConfig } from "./types.js";
import type { At, Ctx } from "./yaml-context.js";

/** Known extism/v1 runtimeConfig keys (Helm 4 first, then Capstan extensions). */
export const extismKeys = [
  "memory",
  "config",
  "allowedHosts",
  "fileSystem",
  "timeout",
  "hostFunctions",
  "entryFuncName",
  "allowedPaths",
  "env",
] as const;

/** The defaults applied when runtimeConfig (or a key of it) is absent. */
export function defaultExtismConfig(): ExtismRuntimeConfig {
  return {
    entryFuncName: "helm_plugin_main",
    memory: {},
    config: {},
    allowedHosts: undefined,
    fileSystem: { createTempDir: false },
    timeout: undefined,
    hostFunctions: [],
    allowedPaths: {},
    env: [],
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Longest per-call limit runtimeConfig.timeout and `--timeout` accept: 24 h, in ms. 0 means the
 * default in both (there is no "no limit"; docs/decisions.md).
 */
export const MAX_TIMEOUT_MS = 86_400_000;

/** Parses an allowedPaths value: `/guest`, `/guest:ro` or `/guest:rw` (read-only by default). */
export function parseAllowedPath(value: string): AllowedPath | undefined {
  const m = /^(\/.*?)(?::(ro|rw))?$/.exec(value);
  if (!m) return undefined;
  // Normalized ("/data/", "/data/." and "/x/../data" are one mount point, "/data").
  const guestPath = posix.normalize(m[1]!).replace(/(.)\/+$/, "$1");
  return { guestPath, writable: m[2] === "rw" };
}

/** Validates and normalizes an extism/v1 runtimeConfig. */
export function parseExtismConfig(ctx: Ctx, at: At): ExtismRuntimeConfig {
  const rc = defaultExtismConfig();
  const mountAt = new Map<string, At>(); // allowedPaths host key -> where it is written
  const entries = ctx.entries(at, "a map");
  const subprocessOnly = ["platformCommand", "platformHooks", "protocolCommands", "command", "hooks"];
  ctx.checkKeys(
    entries,
    extismKeys,
    "warn",
    "of an extism/v1 runtimeConfig",
    Object.fromEntries(
      subprocessOnly.map((k) => [
        k,
        `${k} is a subprocess runtimeConfig key, but this plugin's runtime is extism/v1`,
      ]),
    ),
  );
  for (const e of entries) {
    const v = ctx.at(e);
    if (ctx.isNull(v)) continue;
    switch (e.key) {
      case "entryFuncName": {
        rc.entryFuncName = ctx.nonEmptyString(v, "a non-empty export name");
        break;
      }
      case "memory": {
        const mem = ctx.entries(v, "a map with maxPages, maxHttpResponseBytes, maxVarBytes");
        const memKeys = ["maxPages", "maxHttpResponseBytes", "maxVarBytes"] as const;
        ctx.checkKeys(mem, memKeys, "warn", "of runtimeConfig.memory");
        for (const m of mem) {
          if (!(memKeys as readonly string[]).includes(m.key) || ctx.isNull(ctx.at(m))) continue;
          const unit = m.key === "maxPages" ? "64 KiB pages" : "bytes";
          const n = ctx.integer(ctx.at(m), `a non-negative integer (${unit})`);
          // 0 is Go's zero value: "not set" in Helm.
          if (n > 0) rc.memory[m.key as (typeof memKeys)[number]] = n;
        }
        break;
      }
      case "config":
        for (const c of ctx.entries(v, "a map of string to string")) {
          // Values are strings to the plugin; a YAML boolean becomes "true"/"false" (as via JSON).
          const b = ctx.isNull(ctx.at(c)) ? undefined : ctx.booleanOrUndefined(ctx.at(c));
          rc.config[c.key] =
            b !== undefined ? String(b) : ctx.isNull(ctx.at(c)) ? "" : ctx.string(ctx.at(c), "a string");
        }
        break;
      case "allowedHosts":
        rc.allowedHosts = ctx.strings(v, "a list of host globs", true);
        break;
      case "fileSystem": {
        const fs = ctx.entries(v, "a map with createTempDir");
        ctx.checkKeys(fs, ["createTempDir"], "warn", "of runtimeConfig.fileSystem");
        for (const f of fs) {
          if (f.key === "createTempDir" && !ctx.isNull(ctx.at(f)))
            rc.fileSystem.createTempDir = ctx.boolean(ctx.at(f));
        }
        break;
      }
      case "timeout": {
        const n = ctx.integer(v, "a positive integer (milliseconds)");
        if (n > MAX_TIMEOUT_MS) {
          ctx.fail(v, "invalid-value", `must be at most ${MAX_TIMEOUT_MS} (24 hours in milliseconds)`);
        }
        rc.timeout = n > 0 ? n : undefined; // 0: Helm's "not set", the default
        break;
      }
      case "hostFunctions":
        rc.hostFunctions = ctx.strings(v, "a list of host function names", true);
        break;
      case "allowedPaths":
        for (const p of ctx.entries(v, "a map of host path to guest path")) {
          if (p.key.trim() === "") ctx.fail(ctx.at(p), "invalid-value", "host path must not be empty");
          // Relative host paths are inside the plugin directory (loadManifest): never above it.
          if (!posix.isAbsolute(p.key) && !win32.isAbsolute(p.key) && escapes(p.key)) {
            ctx.fail(
              ctx.at(p),
              "invalid-value",
              `host path "${p.key}" leaves the plugin directory`,
              "use an absolute host path, or a relative one inside the plugin directory",
            );
          }
          const guest = ctx.isNull(ctx.at(p)) ? p.key : ctx.nonEmptyString(ctx.at(p), "a guest path");
          const parsed = parseAllowedPath(guest);
          if (!parsed) {
            ctx.fail(
              ctx.at(p),
              "invalid-value",
              `guest path "${guest}" must be absolute`,
              'write e.g. "/data" (read-only) or "/data:rw" (writable)',
            );
          }
          const clash = Object.values(rc.allowedPaths).find((o) => overlaps(o.guestPath, parsed.guestPath));
          if (clash) {
            ctx.fail(
              ctx.at(p),
              "invalid-value",
              `guest path "${parsed.guestPath}" overlaps "${clash.guestPath}" of another mount`,
              "give every mount its own guest path, not one inside another",
            );
          }
          rc.allowedPaths[p.key] = parsed;
          mountAt.set(p.key, ctx.at(p));
        }
        break;
      case "env":
        rc.env = ctx.strings(v, "a list of environment variable names", true);
        for (const [i, name] of rc.env.entries()) {
          if (!ENV_NAME.test(name)) {
            ctx.fail(ctx.items(v)[i]!, "invalid-value", `"${name}" is not an environment variable name`);
          }
        }
        break;
    }
  }
  const tmp = Object.entries(rc.allowedPaths).find(([, p]) => overlaps(p.guestPath, "/tmp"));
  if (rc.fileSystem.createTempDir && tmp) {
    ctx.fail(
      mountAt.get(tmp[0]) as At,
      "invalid-value",
      `guest path "${tmp[1].guestPath}" overlaps /tmp, where fileSystem.createTempDir mounts the per-call temp dir`,
      "mount it elsewhere, or drop fileSystem.createTempDir",
    );
  }
  return rc;
}

/** Whether a relative path climbs out of the directory it is relative to. */
function escapes(relative: string): boolean {
  const n = posix.normalize(relative.replaceAll("\\", "/"));
  return n === ".." || n.startsWith("../");
}

/** Whether two guest paths are the same or one is inside the other (the mounts would collide). */
function overlaps(a: string, b: string): boolean {
  const inside = (x: string, y: string) => x === y || x.startsWith(y.endsWith("/") ? y : `${y}/`);
  return inside(a, b) || inside(b, a);
}
