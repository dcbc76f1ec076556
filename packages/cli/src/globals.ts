// Global flags. Built-in commands get them through commander; plugin commands get them the
// way Helm 3 does it (manuallyProcessArgs): known global flags are taken out of the argument
// list wherever they are, everything else goes to the plugin untouched.
import type { GlobalOptions } from "./command.js";

/** Global flags that take a value (`-n x`, `--namespace=x`). */
export const valued: Readonly<Record<string, "namespace" | "kubeContext" | "kubeconfig">> = {
  "-n": "namespace",
  "--namespace": "namespace",
  "--kube-context": "kubeContext",
  "--kubeconfig": "kubeconfig",
};

/** True when HELM_DEBUG / CAPSTAN_DEBUG asks for debug output. */
export function debugFromEnv(env: NodeJS.ProcessEnv): boolean {
  const v = env.CAPSTAN_DEBUG ?? env.HELM_DEBUG;
  return v === "1" || v === "true";
}

/**
 * Index of the first word that is not a global flag or a global flag's value. -1 when there
 * is none, or when another flag comes first (then commander reports it or shows help).
 */
export function firstCommandWord(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--debug" || a === "--strict") continue;
    if (a in valued) {
      i++;
      continue;
    }
    if (a.startsWith("-")) {
      if (a.includes("=") && a.slice(0, a.indexOf("=")) in valued) continue;
      return -1;
    }
    return i;
  }
  return -1;
}

/**
 * Splits global flags out of a plugin's argument list (Helm 3 semantics). `--strict` is
 * Capstan's own, not Helm's: it counts only before the plugin name (main.ts takes it out
 * there); after it, it belongs to the plugin like any other argument.
 */
export function splitGlobals(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { globals: GlobalOptions; rest: string[] } {
  const globals: GlobalOptions = { debug: debugFromEnv(env) };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--debug") {
      globals.debug = true;
      continue;
    }
    const eq = a.indexOf("=");
    const key = eq > 0 ? a.slice(0, eq) : a;
    const field = valued[key];
    if (field) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value !== undefined) globals[field] = value;
      continue;
    }
    rest.push(a);
  }
  return { globals, rest };
}
