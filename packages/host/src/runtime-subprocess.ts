// The subprocess runtime: runs a plugin's platform command with Helm's environment, the way
// Helm 3/4 do, plus what Helm lacks: a hard timeout that kills the whole process group
// (grandchildren included), not just the direct child.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { isAbsolute, join } from "node:path";
import type { LoadedPlugin, PlatformCommand } from "@capstan/manifest";
import { RuntimeError } from "./errors.js";
import { type HostSettings, pluginEnv, resolveSettings } from "./helm-env.js";
import { expandEnv, selectPlatformCommand } from "./platform.js";

/** A resolved program and its arguments. */
export interface PreparedCommand {
  command: string;
  args: string[];
}

/** Where a child's stream goes: the parent's (`inherit`), captured (`pipe`), or nowhere. */
export type StreamMode = "inherit" | "pipe" | "ignore";

/** Options of one subprocess run. */
export interface RunOptions {
  /** Full environment of the child. */
  env: Record<string, string>;
  /** Bytes written to the child's stdin, or `inherit` (the user's stdin); default `ignore`. */
  stdin?: Uint8Array | string | "inherit" | "ignore";
  /** Default `pipe` (captured). */
  stdout?: StreamMode;
  /** Default `inherit`. */
  stderr?: StreamMode;
  /** Kill the whole process group after this many ms; default none. */
  timeoutMs?: number;
  /** Working directory; default the current one. */
  cwd?: string;
  /** Name used in error messages, e.g. `plugin "x"`. */
  subject?: string;
}

/** How a child ended, with captured output when the stream was `pipe`. */
export interface RunResult {
  /** The exit status, or 128 + signal number when killed by a signal (shell convention). */
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** Grace period between SIGTERM and SIGKILL for a timed-out process group. */
const KILL_GRACE_MS = 1000;

/**
 * Picks the platform command and builds argv like Helm's PrepareCommand: the command string is
 * split on spaces, every part and arg is `$VAR`-expanded from `env` (unless `expand` is false,
 * as for string hooks run by `sh -c`), then `extraArgs` are appended unexpanded.
 */
export function prepareCommand(
  commands: readonly PlatformCommand[],
  extraArgs: readonly string[],
  env: Readonly<Record<string, string>>,
  options: { expand?: boolean; platform?: { os: string; arch: string } } = {},
): PreparedCommand | undefined {
  const chosen = selectPlatformCommand(commands, options.platform);
  if (!chosen) return undefined;
  const expand = (s: string) => (options.expand === false ? s : expandEnv(s, env));
  const parts = chosen.command
    .split(" ")
    .filter((p) => p !== "")
    .map((p, i) => (i === 0 ? expandEnv(p, env) : expand(p)));
  const [command, ...base] = parts;
  if (!command) return undefined;
  return { command, args: [...base, ...chosen.args.map(expand), ...extraArgs] };
}

/** Resolves a getter's program like Helm does: relative paths are inside the plugin directory. */
export function resolveInPluginDir(command: string, dir: string): string {
  return isAbsolute(command) ? command : join(dir, command);
}

/**
 * Runs a program and waits for it. With `timeoutMs` (or when stdio is not inherited) the child
 * leads its own process group, so a timeout kills every descendant; signals the parent gets
 * (SIGINT, SIGTERM) are forwarded to that group.
 */
export function runProcess(prepared: PreparedCommand, options: RunOptions): Promise<RunResult> {
  const subject = options.subject ?? prepared.command;
  const stdinMode =
    options.stdin === undefined
      ? "ignore"
      : typeof options.stdin === "string" && (options.stdin === "inherit" || options.stdin === "ignore")
        ? options.stdin
        : "pipe";
  const stdoutMode = options.stdout ?? "pipe";
  const stderrMode = options.stderr ?? "inherit";
  // An interactive child (everything inherited, no timeout) stays in our process group so the
  // terminal's Ctrl-C and job control reach it directly. Otherwise it gets its own group.
  const interactive = stdinMode === "inherit" && stdoutMode === "inherit" && options.timeoutMs === undefined;
  const detached = !interactive;
  return new Promise<RunResult>((resolvePromise, reject) => {
    // Installed before spawn: a fast child can signal us before spawn() returns.
    let started: ReturnType<typeof spawn> | undefined;
    // An interactive child shares our process group: the terminal's Ctrl-C reaches it
    // directly. We only keep node from dying first, so the child's own exit status (130 when
    // it dies of SIGINT) becomes ours. A detached group gets the signals forwarded.
    const onSignal = (signal: NodeJS.Signals) => {
      if (detached) killGroup(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const child = spawn(prepared.command, prepared.args, {
      env: options.env,
      cwd: options.cwd,
      stdio: [stdinMode, stdoutMode, stderrMode],
      detached,
    });
    started = child;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.stderr?.on("data", (b: Buffer) => err.push(b));
    if (stdinMode === "pipe" && child.stdin) {
      child.stdin.on("error", () => {}); // the child may exit without reading everything
      child.stdin.end(options.stdin as Uint8Array | string);
    }
    function killGroup(signal: NodeJS.Signals): void {
      if (started?.pid === undefined) return;
      try {
        if (detached) process.kill(-started.pid, signal);
        else started.kill(signal);
      } catch {
        // already gone
      }
    }
    let timedOut = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup("SIGTERM");
            graceTimer = setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
            graceTimer.unref();
          }, options.timeoutMs);
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
    child.on("error", (e: NodeJS.ErrnoException) => {
      cleanup();
      const missing = e.code === "ENOENT";
      reject(
        new RuntimeError(
          "plugin-error",
          missing
            ? `${subject}: command "${prepared.command}" not found`
            : `${subject}: cannot run "${prepared.command}": ${e.message}`,
          {
            cause: e,
            hint: missing
              ? "check the plugin's command/platformCommand in plugin.yaml (paths usually start with $HELM_PLUGIN_DIR)"
              : "check that the plugin's command is an executable file",
          },
        ),
      );
    });
    // 'exit', not 'close': a grandchild that keeps our pipes open must not keep us waiting.
    child.on("exit", (code, signal) => {
      cleanup();
      if (timedOut) {
        // Whatever is left of the group goes too (a grandchild may have ignored SIGTERM).
        killGroup("SIGKILL");
        if (graceTimer) clearTimeout(graceTimer);
        reject(
          new RuntimeError(
            "timeout",
            `${subject} timed out after ${options.timeoutMs} ms; its process group was killed`,
            {
              hint: "raise the time limit (--timeout) or find out why the plugin hangs (run with --debug)",
            },
          ),
        );
        return;
      }
      // Give the streams a moment to drain what the child wrote before exiting.
      const finish = () =>
        resolvePromise({
          exitCode: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
          signal,
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err),
        });
      const streams = [child.stdout, child.stderr].filter((s) => s !== null && !s.readableEnded);
      if (streams.length === 0) return finish();
      let pending = streams.length;
      const done = () => {
        if (--pending === 0) {
          clearTimeout(drain);
          finish();
        }
      };
      const drain = setTimeout(() => {
        for (const s of streams) s?.destroy();
        finish();
      }, 200);
      for (const s of streams) s?.once("end", done);
    });
  });
}

/** Options of SubprocessRuntime: host settings (default from the environment) and limits. */
export interface SubprocessRuntimeOptions {
  settings?: HostSettings;
  /** Parent environment the plugin environment is built on; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Per-run time limit in ms; default none. */
  timeoutMs?: number;
}

/** Runs the commands of one subprocess plugin (main command, getter commands, hooks). */
export class SubprocessRuntime {
  readonly plugin: LoadedPlugin;
  readonly settings: HostSettings;
  readonly env: Record<string, string>;
  readonly timeoutMs: number | undefined;

  constructor(plugin: LoadedPlugin, options: SubprocessRuntimeOptions = {}) {
    if (plugin.manifest.runtime !== "subprocess" || !plugin.manifest.subprocess) {
      throw new RuntimeError(
        "link",
        `plugin "${plugin.manifest.name}" (${plugin.file}) is not a subprocess plugin`,
        {
          hint: "run it through the invokers (invokeCli, invokeGetter, invokePostrenderers), which pick its runtime",
        },
      );
    }
    this.plugin = plugin;
    this.settings = options.settings ?? resolveSettings(options.env ?? process.env);
    this.env = pluginEnv(
      this.settings,
      { name: plugin.manifest.name, dir: plugin.dir },
      options.env ?? process.env,
    );
    this.timeoutMs = options.timeoutMs;
  }

  private get subject(): string {
    return `plugin "${this.plugin.manifest.name}"`;
  }

  /** The main command with `extraArgs` appended (Helm's PrepareCommand). */
  prepareMain(extraArgs: readonly string[]): PreparedCommand {
    const config = this.plugin.manifest.subprocess!;
    const prepared = prepareCommand(config.platformCommand, extraArgs, this.env);
    if (!prepared) {
      throw new RuntimeError(
        "entry",
        `${this.subject} has no command for this platform (${this.plugin.file})`,
        {
          hint: "add a platformCommand entry without os/arch, or one for this OS and architecture",
        },
      );
    }
    return prepared;
  }

  /** Runs the main command. */
  run(extraArgs: readonly string[], io: Omit<RunOptions, "env" | "subject">): Promise<RunResult> {
    return runProcess(this.prepareMain(extraArgs), {
      timeoutMs: this.timeoutMs,
      ...io,
      env: this.env,
      subject: this.subject,
    });
  }

  /** The getter command for `protocol` as `<command> certFile keyFile caFile href`. */
  prepareGetter(
    protocol: string,
    files: { certFile: string; keyFile: string; caFile: string },
    href: string,
  ): PreparedCommand {
    const config = this.plugin.manifest.subprocess!;
    const entry = config.protocolCommands.find((p) =>
      p.protocols.some((s) => s.toLowerCase() === protocol.toLowerCase()),
    );
    const prepared =
      entry &&
      prepareCommand(entry.platformCommand, [files.certFile, files.keyFile, files.caFile, href], this.env);
    if (!prepared) {
      throw new RuntimeError(
        "entry",
        `${this.subject} has no downloader command for protocol "${protocol}" on this platform`,
        {
          hint: "check the plugin's downloaders / protocolCommands in plugin.yaml",
        },
      );
    }
    return { ...prepared, command: resolveInPluginDir(prepared.command, this.plugin.dir) };
  }

  /** Runs a lifecycle hook if the plugin has one; resolves to false when it has none. */
  async runHook(event: HookEvent, io: Pick<RunOptions, "stdout" | "stderr"> = {}): Promise<boolean> {
    const hooks = this.plugin.manifest.subprocess!.platformHooks[event];
    if (!hooks || hooks.length === 0) return false;
    // String hooks (`sh -c "..."`) are left for the shell to expand, as Helm does.
    const isShell = hooks.every((h) => h.command === "sh" && h.args[0] === "-c");
    const prepared = prepareCommand(hooks, [], this.env, { expand: !isShell });
    if (!prepared) return false;
    const result = await runProcess(prepared, {
      env: this.env,
      stdout: io.stdout ?? "inherit",
      stderr: io.stderr ?? "inherit",
      timeoutMs: this.timeoutMs,
      subject: `${event} hook of ${this.subject}`,
    });
    if (result.exitCode !== 0) {
      const tail = result.stderr.toString("utf8").trim().split("\n").slice(-3).join(" | ");
      throw new RuntimeError(
        "plugin-error",
        `${event} hook of ${this.subject} failed with exit code ${result.exitCode}${tail ? `: ${tail}` : ""}`,
        {
          hint: `fix the hook in ${this.plugin.file} or run it by hand in ${this.plugin.dir}`,
        },
      );
    }
    return true;
  }
}

/** Plugin lifecycle events with hooks. */
export type HookEvent = "install" | "update" | "delete";

/**
 * Runs the `event` hook of a plugin (for install/update/uninstall). Wasm plugins and plugins
 * without that hook do nothing; resolves to whether a hook ran. Throws RuntimeError on failure.
 */
export async function runHook(
  plugin: LoadedPlugin,
  event: HookEvent,
  options: SubprocessRuntimeOptions & Pick<RunOptions, "stdout" | "stderr"> = {},
): Promise<boolean> {
  if (plugin.manifest.runtime !== "subprocess") return false;
  return new SubprocessRuntime(plugin, options).runHook(event, options);
}
