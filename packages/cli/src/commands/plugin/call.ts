// `capstan plugin call <plugin.wasm | plugin dir | installed name> <export>`, like `extism call`:
// runs any export of any Extism module under an explicit policy and prints its output. A bare
// .wasm gets only what the flags grant; a plugin directory or installed plugin gets its
// plugin.yaml's grants plus the flags. Failures are the runtime's errors (exit 6 plugin, 7
// timeout, 8 sandbox denial; docs/cli.md); bad flags are usage errors (exit 2).
import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { ExtismPolicyInput, SandboxPath } from "@capstan/host";
import { CapstanError, ExitCode, type LoadedPlugin, terminalText } from "@capstan/manifest";
import { type CommandContext, defineCommand } from "../../command.js";
import { parseTimeout } from "../../duration.js";
import { discoveryOptions, settingsFor } from "../../settings.js";
import { UsageError } from "../../usage-error.js";

const COMMAND = "plugin call";

/** `capstan plugin call` */
export const pluginCallCommand = defineCommand({
  name: COMMAND,
  args: "<plugin> <export>",
  summary: "call any export of a Wasm module, plugin directory or installed plugin",
  description:
    "Call export <export> of <plugin>: a .wasm file (granted only what the flags\n" +
    "allow), a plugin directory or an installed plugin (its plugin.yaml grants plus\n" +
    "the flags). Prints the output: raw bytes to a pipe or file, escaped on a terminal.",
  options: [
    { flags: "--input <text>", description: "the call's input (default: empty)" },
    { flags: "--input-file <file>", description: "read the input from a file; - reads stdin" },
    {
      flags: "--config <key=value>",
      description: "a config value the module reads with config_get (repeatable; wins over plugin.yaml)",
      repeatable: true,
    },
    {
      flags: "--allow-host <host>",
      description: "allow HTTP to this host glob, e.g. api.example.com or *.example.com (repeatable)",
      repeatable: true,
    },
    {
      flags: "--allow-path <mount>",
      description: "mount a host directory: host[:guest][:ro|rw], read-only by default (repeatable)",
      repeatable: true,
    },
    { flags: "--wasi", description: "give the module the terminal as its WASI stdin/stdout/stderr" },
    {
      flags: "--timeout <duration>",
      description:
        "time limit of the call, e.g. 500ms or 30s (default: plugin.yaml's, else 30s; at most 24h)",
    },
  ],
  async run([target, exportName], opts, ctx) {
    const input = await readInput(opts, ctx.stdin);
    const flags: ExtismPolicyInput = {
      config: parseConfig((opts.config as string[] | undefined) ?? []),
      allowedHosts: (opts.allowHost as string[] | undefined) ?? [],
      allowedPaths: await Promise.all(((opts.allowPath as string[] | undefined) ?? []).map(parseMount)),
    };
    const timeoutMs = parseTimeout(opts.timeout);
    const { ExtismRuntime, policyFromManifest } = await import("@capstan/host");
    const plugin = await resolveTarget(String(target), ctx);
    const base: ExtismPolicyInput = plugin
      ? policyFromManifest(plugin)
      : { name: basename(String(target), ".wasm") };
    const policy: ExtismPolicyInput = {
      ...base,
      config: { ...base.config, ...flags.config },
      allowedHosts: [...(base.allowedHosts ?? []), ...(flags.allowedHosts ?? [])],
      allowedPaths: [...(base.allowedPaths ?? []), ...(flags.allowedPaths ?? [])],
      stdio: opts.wasi ? "inherit" : (base.stdio ?? "null"),
    };
    const wasmPath = plugin ? resolve(plugin.dir, "plugin.wasm") : resolve(String(target));
    const runtime = await ExtismRuntime.openModule(wasmPath, policy, { debug: ctx.globals.debug });
    try {
      const output = await runtime.call(input, { funcName: String(exportName), timeoutMs });
      writeOutput(output, ctx.stdout);
    } finally {
      await runtime.close();
    }
    return 0;
  },
});

/**
 * The plugin behind `target`: undefined for a .wasm file (no manifest), the loaded plugin.yaml
 * of a directory, else the installed plugin of that name. Only extism/v1 plugins can be called.
 */
async function resolveTarget(target: string, ctx: CommandContext): Promise<LoadedPlugin | undefined> {
  const st = await stat(target).catch(() => undefined);
  let plugin: LoadedPlugin;
  if (st?.isFile()) return undefined;
  if (st?.isDirectory()) {
    const { loadManifest } = await import("@capstan/manifest");
    plugin = await loadManifest(target, { strict: ctx.globals.strict });
  } else if (target.endsWith(".wasm") || target.includes("/")) {
    throw new CapstanError("not-found", `${target}: no such file or directory`, {
      exitCode: ExitCode.notFound,
      hint: "name a .wasm file, a plugin directory (with plugin.yaml) or an installed plugin",
    });
  } else {
    const { discoverPlugins, pickPlugin } = await import("@capstan/host");
    const settings = await settingsFor(ctx);
    const discovery = await discoverPlugins(settings.pluginPath, discoveryOptions(settings, ctx.globals));
    plugin = pickPlugin(discovery, target);
  }
  if (plugin.manifest.runtime !== "extism/v1") {
    throw new UsageError(
      `plugin "${plugin.manifest.name}" (${plugin.file}) has runtime ${plugin.manifest.runtime}; plugin call runs Wasm (extism/v1) plugins only`,
      COMMAND,
    );
  }
  return plugin;
}

/** The input bytes from --input, --input-file (- = stdin), or none. */
async function readInput(opts: Record<string, unknown>, stdin: Readable): Promise<Uint8Array> {
  if (opts.input !== undefined && opts.inputFile !== undefined) {
    throw new UsageError("--input and --input-file exclude each other: give one", COMMAND);
  }
  if (opts.input !== undefined) return new TextEncoder().encode(String(opts.input));
  if (opts.inputFile === undefined) return new Uint8Array(0);
  const file = String(opts.inputFile);
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(file);
  } catch (e) {
    throw new CapstanError("not-found", `--input-file ${file}: ${(e as Error).message}`, {
      exitCode: ExitCode.notFound,
      hint: "name a readable file, or - for stdin",
      cause: e,
    });
  }
}

/** `--config k=v` values as a map; a value without `=` is a usage error. */
function parseConfig(pairs: string[]): Record<string, string> {
  const config: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--config "${pair}": expected key=value`, COMMAND);
    config[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return config;
}

/** `--allow-path host[:guest][:ro|rw]`: the host directory (made absolute), its guest path (default: the same) and mode. */
async function parseMount(spec: string): Promise<SandboxPath> {
  const parts = spec.split(":");
  let writable = false;
  const mode = parts.at(-1);
  if (parts.length > 1 && (mode === "ro" || mode === "rw")) {
    writable = mode === "rw";
    parts.pop();
  }
  if (parts.length > 2 || !parts[0]) {
    throw new UsageError(`--allow-path "${spec}": expected host[:guest][:ro|rw]`, COMMAND);
  }
  const hostPath = resolve(parts[0]);
  const guestPath = parts[1] ?? hostPath;
  if (!guestPath.startsWith("/")) {
    throw new UsageError(`--allow-path "${spec}": the guest path must be absolute (/data)`, COMMAND);
  }
  return { hostPath, guestPath, writable };
}

/** The output as is for a pipe or file; escaped text for a terminal (the module wrote it). */
export function writeOutput(output: Uint8Array, stdout: Writable): void {
  if (!(stdout as { isTTY?: boolean }).isTTY) {
    stdout.write(output);
    return;
  }
  const text = terminalText(new TextDecoder().decode(output));
  stdout.write(text.length === 0 || text.endsWith("\n") ? text : `${text}\n`);
}
