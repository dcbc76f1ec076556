// The error every YAML function of the PDK throws: bad syntax, caps (depth, aliases) and values
// that cannot be written, with the line and column of the problem when there is one.

/** A YAML problem; `line`/`column` are 1-based and name where the input went wrong. */
export class YamlError extends Error {
  override name = "YamlError";
  /** The problem without the position prefix. */
  readonly reason: string;
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
    /** UTF-16 offset of the problem in the parsed text. */
    readonly offset?: number,
  ) {
    super(line === undefined ? message : `line ${line}, column ${column}: ${message}`);
    this.reason = message;
  }
}

/** Rethrows a backend error as a YamlError (keeping its position). */
export function asYamlError(e: unknown): never {
  if (e instanceof YamlError) throw e;
  const x = e as { message?: string; line?: number; column?: number; offset?: number; name?: string };
  if (x && typeof x.message === "string" && (x.line !== undefined || /Syntax|Range|Yaml/.test(x.name ?? "")))
    throw new YamlError(x.message, x.line, x.column, x.offset);
  throw e;
}
