// Options shared by the type invokers.
import type { HostSettings } from "../helm-env.js";

/** How to run plugins: host settings, the parent environment, and a time limit. */
export interface InvokeOptions {
  /** Host settings (HELM_* variables, plugin path); default from the environment. */
  settings?: HostSettings;
  /** Parent environment subprocess plugins inherit; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Per-plugin time limit in ms; default: none for subprocess plugins, the runtime's for Wasm. */
  timeoutMs?: number;
}
