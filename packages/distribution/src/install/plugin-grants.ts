// What a plugin may do, from its manifest: network hosts, mounted paths (ro/rw), host
// environment variables, host functions, time and memory limits; a subprocess plugin is not
// sandboxed at all. Install and `plugin inspect` print these lines; an update that widens them
// needs the user's consent (`--accept-grants`), because a signed update from the same author
// may still ask for more than the version the user agreed to.
import { type PluginManifest, terminalText } from "@capstan/manifest";

/** The grants of one plugin. */
export interface PluginGrants {
  /** False for subprocess plugins: they run with the user's full rights. */
  sandboxed: boolean;
  /** Host globs reachable over HTTP (empty: no network). */
  hosts: string[];
  /** Host path -> guest path mounts. */
  paths: { host: string; guest: string; writable: boolean }[];
  /** Names of host environment variables passed in. */
  env: string[];
  hostFunctions: string[];
  /** Milliseconds per call; undefined: the runtime default. */
  timeoutMs: number | undefined;
  /** Wasm memory pages (64 KiB); undefined: the runtime default. */
  maxPages: number | undefined;
  /** Bytes of one HTTP response; undefined: the runtime default. */
  maxHttpResponseBytes: number | undefined;
}

/** The grants a manifest asks for. */
export function pluginGrants(manifest: PluginManifest): PluginGrants {
  const x = manifest.extism;
  if (!x) {
    return {
      sandboxed: false,
      hosts: [],
      paths: [],
      env: [],
      hostFunctions: [],
      timeoutMs: undefined,
      maxPages: undefined,
      maxHttpResponseBytes: undefined,
    };
  }
  return {
    sandboxed: true,
    hosts: [...(x.allowedHosts ?? [])].sort(),
    paths: Object.entries(x.allowedPaths)
      .map(([host, p]) => ({ host, guest: p.guestPath, writable: p.writable }))
      .sort((a, b) => a.host.localeCompare(b.host)),
    env: [...x.env].sort(),
    hostFunctions: [...x.hostFunctions].sort(),
    timeoutMs: x.timeout,
    maxPages: x.memory.maxPages,
    maxHttpResponseBytes: x.memory.maxHttpResponseBytes,
  };
}

/**
 * Manifest text made safe for one line of a terminal: manifest's terminalText (the one escape
 * for plugin text), plus newline and tab, since a grant is one line and must not forge another.
 */
export function terminalSafe(text: string): string {
  return terminalText(text).replace(/[\n\t]/g, (c) => (c === "\n" ? "\\n" : "\\t"));
}

const list = (items: readonly string[]): string =>
  items.length === 0 ? "none" : items.map(terminalSafe).join(", ");
const orDefault = (n: number | undefined, unit: string): string =>
  n === undefined ? "runtime default" : `${n}${unit}`;

/** One line per grant, for `plugin install`, `update` and `inspect`. */
export function formatGrants(g: PluginGrants): string[] {
  if (!g.sandboxed) {
    return ["  sandbox: none: a subprocess plugin runs as a program with all of your user's rights"];
  }
  return [
    `  network hosts: ${list(g.hosts)}`,
    `  paths: ${list(g.paths.map((p) => `${p.host} -> ${p.guest} (${p.writable ? "rw" : "ro"})`))}`,
    `  environment variables: ${list(g.env)}`,
    `  host functions: ${list(g.hostFunctions)}`,
    `  timeout: ${orDefault(g.timeoutMs, " ms")}`,
    `  memory: ${orDefault(g.maxPages, " pages of 64 KiB")}; HTTP response: ${orDefault(g.maxHttpResponseBytes, " bytes")}`,
  ];
}

/** What `next` grants beyond `prev`, one phrase each; empty when nothing widened. */
export function widenedGrants(prev: PluginGrants, next: PluginGrants): string[] {
  if (!next.sandboxed) return prev.sandboxed ? ["leaves the sandbox: now a subprocess plugin"] : [];
  const out: string[] = [];
  const added = (a: readonly string[], b: readonly string[]) => b.filter((x) => !a.includes(x));
  for (const h of added(prev.hosts, next.hosts)) out.push(`new network host ${terminalSafe(h)}`);
  for (const p of next.paths) {
    const old = prev.paths.find((o) => o.host === p.host && o.guest === p.guest);
    if (!old)
      out.push(`new path ${terminalSafe(p.host)} -> ${terminalSafe(p.guest)} (${p.writable ? "rw" : "ro"})`);
    else if (p.writable && !old.writable) out.push(`path ${terminalSafe(p.host)} becomes writable`);
  }
  for (const e of added(prev.env, next.env)) out.push(`new environment variable ${terminalSafe(e)}`);
  for (const f of added(prev.hostFunctions, next.hostFunctions))
    out.push(`new host function ${terminalSafe(f)}`);
  const raised = (what: string, a: number | undefined, b: number | undefined) => {
    if (a !== undefined && (b === undefined || b > a)) out.push(`${what} ${a} -> ${b ?? "runtime default"}`);
  };
  raised("timeout (ms)", prev.timeoutMs, next.timeoutMs);
  raised("memory pages", prev.maxPages, next.maxPages);
  raised("HTTP response bytes", prev.maxHttpResponseBytes, next.maxHttpResponseBytes);
  return out;
}
