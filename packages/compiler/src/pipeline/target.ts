// Compile targets: which Extism kernel a module may import. "extism" (default) imports the
// whole current kernel (Capstan, Helm 4's Go SDK v1.7.1, @extism/extism 2.x). "extism-1.0" is
// for @extism/extism 1.0.x (npm's `latest`), which lacks http_headers, get_log_level and
// log_trace: link() defines them inside the module instead (docs/compatibility.md).
import { CompilerError } from "../errors.js";

/** A compile target name. */
export type CompileTarget = "extism" | "extism-1.0";

/** Every target, default first. */
export const TARGETS: readonly CompileTarget[] = ["extism", "extism-1.0"];

/** Kernel imports the target's hosts lack, with what the module does instead. */
export const MISSING_KERNEL_IMPORTS: Record<CompileTarget, readonly string[]> = {
  extism: [],
  // http_headers -> 0 (responses have no headers), get_log_level -> 0 (the host filters),
  // log_trace -> log_debug
  "extism-1.0": ["http_headers", "get_log_level", "log_trace"],
};

/** Checks a target name from the command line or the API. */
export function parseTarget(name: string | undefined): CompileTarget {
  if (name === undefined) return "extism";
  if ((TARGETS as readonly string[]).includes(name)) return name as CompileTarget;
  throw new CompilerError("COMPILER_USAGE", `unknown target "${name}"`, {
    hint: `use one of: ${TARGETS.join(", ")}`,
  });
}
