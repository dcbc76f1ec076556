import { CapstanError, ExitCode } from "@capstan/manifest";

/** A schema that codegen cannot turn into bindings; the message names the file and the field. */
export class CodegenError extends CapstanError {
  constructor(
    message: string,
    hint = "fix the schema, then run `capstan plugin codegen <schema> -o <dir>` again",
  ) {
    super("CODEGEN_SCHEMA", message, { hint, exitCode: ExitCode.usage });
  }
}
