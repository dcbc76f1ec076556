// The error base for every Capstan package. It lives here because @capstan/manifest is the
// leaf package: everything else imports it. The CLI's single top-level catch maps `exitCode`
// to the process exit code and prints `message` then `hint`.

/** Exit codes, documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  manifest: 3,
  notFound: 4,
  verification: 5,
  plugin: 6,
  timeout: 7,
  sandbox: 8,
} as const;
/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error a user can act on: `message` says what failed, `hint` says what to do next. */
export class CapstanError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCodeValue;
  constructor(
    code: string,
    message: string,
    options: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.failure;
  }
}

/** Recognizes a CapstanError across realms and bundles (jest's vm realm, duplicated copies). */
export function isCapstanError(e: unknown): e is CapstanError {
  return e instanceof Error && typeof (e as CapstanError).code === "string" && "exitCode" in e;
}
