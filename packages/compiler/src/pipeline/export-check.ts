// An init script evaluated after the bundle: every function the interface file declares must
// be a function on module.exports, or the build fails naming it (a missing export would
// otherwise only fail when a host calls it). The snapshot step reports the script's error;
// compile.ts turns it into a CompilerError with a hint.

/** Marker the script's error message starts with. */
export const MISSING_EXPORTS = "CAPSTAN_MISSING_EXPORTS:";

/** Script source checking `names` against module.exports. */
export function exportCheckScript(names: readonly string[]): string {
  return `(function (names) {
  var m = typeof module === "object" && module.exports ? module.exports : {};
  var missing = names.filter(function (n) { return typeof m[n] !== "function"; });
  if (missing.length > 0) throw new Error(${JSON.stringify(MISSING_EXPORTS)} + missing.join(","));
})(${JSON.stringify(names)});\n`;
}

/** The names in a snapshot error raised by the script, or null for any other error. */
export function missingExports(message: string): string[] | null {
  const at = message.indexOf(MISSING_EXPORTS);
  if (at < 0) return null;
  const rest = message.slice(at + MISSING_EXPORTS.length).split(/\s/)[0] ?? "";
  return rest.split(",").filter((n) => n !== "");
}
