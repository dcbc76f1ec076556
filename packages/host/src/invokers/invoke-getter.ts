// getter/v1: downloads by URL scheme. http/https are built in and cannot be overridden; other
// schemes go to the first plugin on the plugin path that lists the scheme exactly. Subprocess
// getters run as `<command> certFile keyFile caFile href` and print the content; Wasm getters
// get a getter/v1 message and return base64 data.
import type { GetterOutput, LoadedPlugin } from "@capstan/manifest";
import { ExitCode } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";
import { callWasm } from "./call-wasm.js";
import { BUILTIN_PROTOCOLS, httpGet } from "./getter-http.js";
import { type GetterOptions, getterOptions } from "./getter-options.js";
import type { InvokeOptions } from "./invoke-options.js";

/** The URL scheme of `href` without the colon, lower-case (`s3` for `s3://b/k`). */
export function schemeOf(href: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href);
  if (!m) {
    throw new RuntimeError("bad-url", `"${href}" is not a URL (no scheme like https:// or s3://)`, {
      exitCode: ExitCode.usage,
      hint: "pass a full URL, e.g. capstan pull https://example.com/chart.tgz",
    });
  }
  return m[1]!.toLowerCase();
}

/** Refuses what the URL parser rejects (`http://`, `https://[::1`): a usage error, not a failed download. */
function checkUrl(href: string): void {
  try {
    new URL(href);
  } catch {
    throw new RuntimeError("bad-url", `"${href}" is not a valid URL`, {
      exitCode: ExitCode.usage,
      hint: "pass a full URL with a host, e.g. capstan pull https://example.com/chart.tgz",
    });
  }
}

/** The getter plugin for `protocol` among `plugins` (first match), or undefined. */
export function findGetter(plugins: readonly LoadedPlugin[], protocol: string): LoadedPlugin | undefined {
  const serves = (p: LoadedPlugin) =>
    [
      ...(p.manifest.getter?.protocols ?? []),
      ...(p.manifest.subprocess?.protocolCommands.flatMap((c) => c.protocols) ?? []),
    ].some((s) => s.toLowerCase() === protocol);
  return plugins.find(serves);
}

/** Runs one getter plugin for `href`; returns the downloaded bytes. */
export async function invokeGetter(
  plugin: LoadedPlugin,
  href: string,
  given: Partial<GetterOptions> = {},
  options: InvokeOptions = {},
): Promise<Uint8Array> {
  const m = plugin.manifest;
  const protocol = schemeOf(href);
  const opts = getterOptions(href, given);
  if (m.runtime === "subprocess") {
    // Loaded on use: Wasm-only paths never load child_process.
    const { SubprocessRuntime, runProcess } = await import("../runtime-subprocess.js");
    const runtime = new SubprocessRuntime(plugin, options); // same defaults as InvokeOptions
    const prepared = runtime.prepareGetter(
      protocol,
      { certFile: opts.CertFile, keyFile: opts.KeyFile, caFile: opts.CAFile },
      href,
    );
    const r = await runProcess(prepared, {
      env: runtime.env,
      stdout: "pipe",
      stderr: "inherit",
      timeoutMs: options.timeoutMs,
      subject: `getter "${m.name}"`,
    });
    if (r.exitCode !== 0) {
      throw new RuntimeError(
        "plugin-error",
        `getter "${m.name}" failed for ${href} with exit code ${r.exitCode}`,
        {
          hint: "see the plugin's messages above; run again with --debug for more",
        },
      );
    }
    return new Uint8Array(r.stdout);
  }
  const input = { href, protocol, options: opts };
  const out = (await callWasm(plugin, "getter.input", input, "getter.output", {
    ...options,
    stdio: "null",
  })) as GetterOutput;
  return new Uint8Array(Buffer.from(out.data, "base64"));
}

/**
 * Downloads `href`: built-in http/https, else the getter plugin for its scheme among
 * `plugins`. Throws a RuntimeError (exit 4) when no plugin serves the scheme.
 */
export async function getUrl(
  href: string,
  plugins: readonly LoadedPlugin[],
  given: Partial<GetterOptions> = {},
  options: InvokeOptions = {},
): Promise<Uint8Array> {
  const protocol = schemeOf(href);
  checkUrl(href);
  if (BUILTIN_PROTOCOLS.includes(protocol)) return httpGet(href, getterOptions(href, given));
  const plugin = findGetter(plugins, protocol);
  if (!plugin) {
    throw new RuntimeError("no-getter", `no getter plugin for "${protocol}://" URLs (${href})`, {
      exitCode: ExitCode.notFound,
      hint: `install a getter plugin that lists "${protocol}" in its protocols ('capstan plugin list --type getter/v1' shows the installed ones)`,
    });
  }
  return invokeGetter(plugin, href, given, options);
}
