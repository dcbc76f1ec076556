// One call of an extism/v1 plugin with a JSON message in and out. The Wasm runtime (and its
// dependencies) load only here, on first use, so subprocess-only paths never pay for them.
import type { LoadedPlugin, MessageName } from "@capstan/manifest";
import { validateMessage } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";
import { pluginEnv } from "../helm-env.js";
import type { InvokeOptions } from "./invoke-options.js";

/** Sends `input` (validated as `inName`) and returns the output validated as `outName`. */
export async function callWasm(
  plugin: LoadedPlugin,
  inName: MessageName,
  input: unknown,
  outName: MessageName,
  options: InvokeOptions & { stdio: "inherit" | "null" },
): Promise<unknown> {
  validateMessage(inName, input);
  const { ExtismRuntime } = await import("../runtime-extism.js");
  // The env allowlist reads what a subprocess plugin would get: the parent environment with the
  // host settings over it, so --kubeconfig / --kube-context / -n win over KUBECONFIG & co.
  const env = options.settings
    ? pluginEnv(options.settings, { name: plugin.manifest.name, dir: plugin.dir }, options.env)
    : options.env;
  const runtime = await ExtismRuntime.open(plugin, {
    stdio: options.stdio,
    debug: options.settings?.debug ?? false,
    ...(env === undefined ? {} : { env }),
  });
  let bytes: Uint8Array;
  try {
    bytes = await runtime.call(
      JSON.stringify(input),
      options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
    );
  } finally {
    await runtime.close();
  }
  let output: unknown;
  try {
    output = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new RuntimeError(
      "plugin-error",
      `plugin "${plugin.manifest.name}" returned output that is not JSON`,
      {
        cause: e,
        hint: `the plugin must write a ${outName} message (see docs/messages.md)`,
      },
    );
  }
  validateMessage(outName, output);
  return output;
}
