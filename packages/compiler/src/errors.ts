import { CapstanError, ExitCode } from "@capstan/manifest";

/** A compile failure: bad interface file, type errors, bundling or snapshot errors. */
export class CompilerError extends CapstanError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: ExitCode.failure });
  }
}
