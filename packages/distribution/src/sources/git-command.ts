// Runs the `git` binary without prompts or user configuration surprises.
import { spawn } from "node:child_process";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";

/** Result of one git run. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `git args...`; never prompts for credentials. Rejects only when git cannot start. */
export function runGit(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "true", LC_ALL: "C" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (e) =>
      reject(
        new InstallError("GIT_MISSING", `cannot run git: ${(e as NodeJS.ErrnoException).code ?? e.message}`, {
          hint: "install git (Debian: apt-get install git) to install plugins from git repositories",
          cause: e,
        }),
      ),
    );
    child.on("close", (code) =>
      resolvePromise({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** runGit that throws InstallError (with git's message) on a non-zero exit. */
export async function git(
  args: string[],
  what: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const r = await runGit(args, options);
  if (r.code !== 0) {
    throw new InstallError(
      "GIT_FAILED",
      `${what}: ${r.stderr.trim().split("\n").slice(-3).join("; ") || `git exited with ${r.code}`}`,
      {
        hint: "check the repository URL and that it is reachable without a password prompt",
        exitCode: ExitCode.failure,
      },
    );
  }
  return r.stdout;
}
