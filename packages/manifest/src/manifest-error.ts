import { CapstanError, ExitCode } from "./errors.js";

/** Where in which file a manifest problem sits. */
export interface ManifestErrorLocation {
  file: string;
  line?: number;
  column?: number;
  /** Dotted key path, e.g. `runtimeConfig.timeout`. */
  key?: string;
}

/** A plugin.yaml (or message) that does not validate; message is `file:line:col: key: what`. */
export class ManifestError extends CapstanError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly key: string | undefined;
  constructor(
    code: string,
    what: string,
    where: ManifestErrorLocation,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, formatLocated(where, what), { ...options, exitCode: ExitCode.manifest });
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.key = where.key;
  }
}

/** Formats `file:line:col: key: what` (parts that are unknown are left out). */
export function formatLocated(where: ManifestErrorLocation, what: string): string {
  let pos = where.file;
  if (where.line !== undefined) pos += `:${where.line}`;
  if (where.line !== undefined && where.column !== undefined) pos += `:${where.column}`;
  return where.key ? `${pos}: ${where.key}: ${what}` : `${pos}: ${what}`;
}
