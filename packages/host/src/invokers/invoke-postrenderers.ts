// postrenderer/v1: manifests through a chain of post-renderers, in order. Subprocess plugins
// read manifests on stdin and write them to stdout (Helm 3's post-renderer contract); Wasm
// plugins get `{manifests, extraArgs}`. Whitespace-only output from any plugin is an error.
import type { LoadedPlugin, PostrendererOutput } from "@capstan/manifest";
import { ExitCode } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";
import { callWasm } from "./call-wasm.js";
import type { InvokeOptions } from "./invoke-options.js";

/** Runs one post-renderer; returns its manifests. */
export async function invokePostrenderer(
  plugin: LoadedPlugin,
  manifests: string,
  extraArgs: readonly string[],
  options: InvokeOptions = {},
): Promise<string> {
  const m = plugin.manifest;
  if (m.type !== "postrenderer/v1") {
    throw new RuntimeError(
      "wrong-plugin-type",
      `plugin "${m.name}" (${plugin.file}) is a ${m.type} plugin, not a post-renderer`,
      {
        exitCode: ExitCode.usage,
        hint: "run 'capstan plugin list --type postrenderer/v1' to see the post-renderers",
      },
    );
  }
  let output: string;
  if (m.runtime === "subprocess") {
    // Loaded on use: Wasm-only paths never load child_process.
    const { SubprocessRuntime } = await import("../runtime-subprocess.js");
    const runtime = new SubprocessRuntime(plugin, options); // same defaults as InvokeOptions
    const r = await runtime.run(extraArgs, { stdin: manifests, stdout: "pipe", stderr: "inherit" });
    if (r.exitCode !== 0) {
      throw new RuntimeError(
        "plugin-error",
        `post-renderer "${m.name}" failed with exit code ${r.exitCode}`,
        {
          hint: `see the plugin's messages above; run 'capstan postrender ${m.name} --debug' to retry`,
        },
      );
    }
    output = r.stdout.toString("utf8");
  } else {
    const input = { manifests, extraArgs: [...extraArgs] };
    const out = (await callWasm(plugin, "postrenderer.input", input, "postrenderer.output", {
      ...options,
      stdio: "null",
    })) as PostrendererOutput;
    output = out.manifests;
  }
  if (output.trim() === "") {
    throw new RuntimeError(
      "plugin-error",
      `post-renderer "${m.name}" returned no manifests (empty or whitespace-only output)`,
      {
        hint: "a post-renderer must write the manifests it was given (changed or not); check the plugin",
      },
    );
  }
  return output;
}

/** Runs post-renderers in order, each getting the previous one's output. */
export async function invokePostrenderers(
  plugins: readonly LoadedPlugin[],
  manifests: string,
  extraArgs: readonly string[] = [],
  options: InvokeOptions = {},
): Promise<string> {
  let current = manifests;
  for (const plugin of plugins) current = await invokePostrenderer(plugin, current, extraArgs, options);
  return current;
}
