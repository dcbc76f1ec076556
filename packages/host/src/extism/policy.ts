// The sandbox policy of one extism/v1 plugin: everything the host grants it, normalized from
// plugin.yaml's runtimeConfig (or given directly by the lower-level open). Absent = denied.
import { MAX_TIMEOUT_MS } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";

/** Default per-call time limit when runtimeConfig.timeout is absent (docs/security.md). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default cap of the plugin's linear memory when memory.maxPages is absent: 1 GiB. */
export const DEFAULT_MAX_PAGES = 16_384;
/** Default cap of all plugin vars together when memory.maxVarBytes is absent (Extism's default). */
const DEFAULT_MAX_VAR_BYTES = 1024 * 1024;
/** Default cap of one HTTP response body when memory.maxHttpResponseBytes is absent: 50 MiB. */
const DEFAULT_MAX_HTTP_RESPONSE_BYTES = 50 * 1024 * 1024;
/** Export called when entryFuncName is absent (Helm 4's name). */
const DEFAULT_ENTRY = "helm_plugin_main";

/** A host directory visible inside the sandbox. */
export interface SandboxPath {
  /** Absolute host directory. */
  hostPath: string;
  /** Absolute guest path it is mounted at. */
  guestPath: string;
  /** Writes allowed; default false (read-only). */
  writable: boolean;
}

/** What stdio a plugin sees: the user's terminal, nothing (/dev/null), or given fds. */
export type StdioPolicy = "inherit" | "null" | { stdin?: number; stdout?: number; stderr?: number };

/** Everything the sandbox grants one plugin. */
export interface ExtismPolicy {
  /** Plugin name for messages. */
  name: string;
  /** Export to call; default `helm_plugin_main`. */
  entryFuncName: string;
  /** Per-call limit in ms; default DEFAULT_TIMEOUT_MS. Always enforced. */
  timeoutMs: number;
  /** Max 64 KiB pages of the plugin's memory (rewritten into the module); default 1 GiB. */
  maxPages: number;
  /** Max bytes of one HTTP response body; default 50 MiB. */
  maxHttpResponseBytes: number;
  /** Max bytes of all vars together (names and values); default 1 MiB. */
  maxVarBytes: number;
  /** Config visible through config_get; default {}. */
  config: Record<string, string>;
  /** Host globs reachable over HTTP; undefined or [] = no network. */
  allowedHosts: string[] | undefined;
  /** Host directories visible in the guest; default none. */
  allowedPaths: SandboxPath[];
  /** Mount a fresh host temp dir at /tmp for each call (removed after it); default false. */
  createTempDir: boolean;
  /** Names of host env vars passed through WASI; default none. */
  env: string[];
  /** Host functions (module `extism:host/user`) the plugin may import; default none. */
  hostFunctions: string[];
  /** WASI stdio; default "null" (cli/v1 plugins get "inherit"). */
  stdio: StdioPolicy;
}

/** The policy fields a caller may set; the rest take the defaults above. */
export type ExtismPolicyInput = Partial<ExtismPolicy> & { name?: string };

/** Config key the Capstan engine reads for its own deadline (packages/engine/README.md). */
const ENGINE_TIMEOUT_KEY = "capstan.timeout_ms";
const ENGINE_TIMEOUT_MARGIN_MS = 1000;

/** Fills defaults into a partial policy (the lower-level open takes this). */
export function resolvePolicy(input: ExtismPolicyInput): ExtismPolicy {
  const timeoutMs = timeoutOr(input.timeoutMs, DEFAULT_TIMEOUT_MS, input.name ?? "plugin");
  return {
    name: input.name ?? "plugin",
    entryFuncName: input.entryFuncName ?? DEFAULT_ENTRY,
    timeoutMs,
    maxPages: Math.min(positive(input.maxPages) ?? DEFAULT_MAX_PAGES, 65_536),
    maxHttpResponseBytes: positive(input.maxHttpResponseBytes) ?? DEFAULT_MAX_HTTP_RESPONSE_BYTES,
    maxVarBytes: positive(input.maxVarBytes) ?? DEFAULT_MAX_VAR_BYTES,
    // Capstan-built plugins also stop themselves (engine interrupt, `capstan.timeout_ms`, 30 s
    // by default, for hosts without deadlines such as Helm 4). Keep that backstop just past
    // the host's own deadline so runtimeConfig.timeout is what decides, unless the plugin's
    // config sets it explicitly.
    config: { [ENGINE_TIMEOUT_KEY]: String(timeoutMs + ENGINE_TIMEOUT_MARGIN_MS), ...(input.config ?? {}) },
    allowedHosts: input.allowedHosts ? [...input.allowedHosts] : undefined,
    allowedPaths: (input.allowedPaths ?? []).map((p) => ({ ...p })),
    createTempDir: input.createTempDir ?? false,
    env: [...(input.env ?? [])],
    hostFunctions: [...(input.hostFunctions ?? [])],
    stdio: input.stdio ?? "null",
  };
}

function positive(n: number | undefined): number | undefined {
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * A per-call limit in ms: undefined or 0 mean `fallback` (as `timeout: 0` in plugin.yaml and
 * `--timeout 0` do); anything else must be a whole number of ms up to MAX_TIMEOUT_MS.
 */
export function timeoutOr(ms: number | undefined, fallback: number, plugin: string): number {
  if (ms === undefined || ms === 0) return fallback;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIMEOUT_MS) {
    throw new RuntimeError(
      "config",
      `plugin "${plugin}": timeout ${ms} ms is out of range (1..${MAX_TIMEOUT_MS} ms, 0 = default)`,
      {
        hint: "use a timeout of at most 24h (runtimeConfig.timeout in plugin.yaml or --timeout)",
      },
    );
  }
  return ms;
}
