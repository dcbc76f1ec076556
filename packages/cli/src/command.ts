// The shape of one `capstan` command. Each command lives in its own file under src/commands/
// and is registered by one row in src/commands.ts (see README.md). Commands stay light at
// load time: heavy dependencies are imported inside `run` with `await import(...)`.
import type { Readable, Writable } from "node:stream";

/** Global flags, accepted before or after the command name (Helm's names). */
export interface GlobalOptions {
  /** --debug (or HELM_DEBUG=true): stack traces on errors, debug logs from the host. */
  debug: boolean;
  /** -n, --namespace: passed to plugins as HELM_NAMESPACE. */
  namespace?: string;
  /** --kube-context: passed to plugins as HELM_KUBECONTEXT. */
  kubeContext?: string;
  /** --kubeconfig: passed to plugins as KUBECONFIG. */
  kubeconfig?: string;
  /** --strict: unknown runtimeConfig keys in a plugin.yaml are errors, not warnings. */
  strict?: boolean;
}

/** What a command gets besides its own arguments: global flags, streams and environment. */
export interface CommandContext {
  globals: GlobalOptions;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Absolute path of the running capstan executable (HELM_BIN for plugins). */
  bin: string;
  /**
   * The file descriptor behind `stdin` when it is the process's own (0): a command that reads
   * all of stdin reads it directly (read-stdin.ts), without creating process.stdin.
   */
  stdinFd?: number;
  /**
   * Arguments after a bare `--` (commander also passes them as positional arguments, at the
   * end); commands that forward arguments to plugins use them. Empty when there is no `--`.
   */
  afterDashes: string[];
}

/** One option in commander's flag syntax, e.g. `-d, --destination <dir>`. */
export interface OptionSpec {
  flags: string;
  description: string;
  /** Default value; stated in the help text. */
  default?: string | boolean | string[];
  /** Repeatable option (`--x a --x b`), collected into an array. */
  repeatable?: boolean;
}

/** A command: its path (`"plugin list"`), arguments in commander syntax, help and `run`. */
export interface CommandSpec {
  /** Words of the command path, space-separated: `"plugin list"`, `"pull"`. */
  name: string;
  /** Positional arguments in commander syntax: `"<href>"`, `"<plugin...>"`, `"[dir]"`. */
  args?: string;
  /** One line for the command list. */
  summary: string;
  /** Longer help text shown by `capstan <command> --help`. */
  description?: string;
  options?: OptionSpec[];
  /** Other names for the last word of the path (e.g. `ls` for `list`). */
  aliases?: string[];
  /**
   * Runs the command. `args` are the positional arguments in order (a variadic one is an
   * array), `opts` the parsed options by camelCase name. Returns the exit code (default 0);
   * throw a CapstanError for failures the user can act on.
   */
  run(args: unknown[], opts: Record<string, unknown>, ctx: CommandContext): Promise<number | undefined>;
}

/** Identity helper that types a command file's export. */
export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
