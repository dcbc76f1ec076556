// cli/v1: runs a plugin as a command. The user's stdin/stdout/stderr are the plugin's, and its
// exit code is the command's (Wasm plugins report it through the output's `exitCode`).
import type { CliOutput, LoadedPlugin } from "@capstan/manifest";
import { ExitCode } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";
import { callWasm } from "./call-wasm.js";
import type { InvokeOptions } from "./invoke-options.js";

/** Runs cli plugin `plugin` with the user's arguments; resolves to the exit code. */
export async function invokeCli(
  plugin: LoadedPlugin,
  args: readonly string[],
  options: InvokeOptions = {},
): Promise<number> {
  const m = plugin.manifest;
  if (!m.cli) {
    throw new RuntimeError(
      "wrong-plugin-type",
      `plugin "${m.name}" (${plugin.file}) is a ${m.type} plugin, not a cli plugin`,
      {
        exitCode: ExitCode.usage,
        hint: "run 'capstan plugin list --type cli/v1' to see the cli plugins",
      },
    );
  }
  // ignoreFlags: the plugin gets no arguments at all (Helm's PrepareCommand).
  const extraArgs = m.cli.ignoreFlags ? [] : [...args];
  if (m.runtime === "subprocess") {
    // Loaded on use: Wasm-only paths never load child_process.
    const { SubprocessRuntime } = await import("../runtime-subprocess.js");
    const runtime = new SubprocessRuntime(plugin, options); // same defaults as InvokeOptions
    const r = await runtime.run(extraArgs, { stdin: "inherit", stdout: "inherit", stderr: "inherit" });
    return r.exitCode;
  }
  const out = (await callWasm(plugin, "cli.input", { extraArgs }, "cli.output", {
    ...options,
    stdio: "inherit",
  })) as CliOutput;
  return out.exitCode ?? 0;
}
