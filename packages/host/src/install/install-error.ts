// Errors of the distribution side of the host (package, install, update, push...).
import { CapstanError, ExitCode, type ExitCodeValue } from "@capstan/manifest";

/** A package/install/update/uninstall/push failure; `hint` names the next command. */
export class InstallError extends CapstanError {
  constructor(
    code: string,
    message: string,
    options: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {},
  ) {
    super(code, message, { exitCode: ExitCode.failure, ...options });
  }
}
