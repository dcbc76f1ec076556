// `capstan pull <href> [-d dir]`: downloads a file with the getter for its URL scheme
// (built-in http/https, else the getter plugin that lists the scheme).
import { basename, join } from "node:path";
import { CapstanError, ExitCode } from "@capstan/manifest";
import { defineCommand } from "../command.js";
import { parseTimeout } from "../duration.js";
import { discoveryOptions, settingsFor } from "../settings.js";
import { tlsOptions } from "../tls-options.js";

/** `capstan pull` */
export const pullCommand = defineCommand({
  name: "pull",
  args: "<href>",
  summary: "download a file through the getter for its URL scheme",
  description:
    "Download <href> with the built-in http(s) getter or the getter plugin for its scheme (s3://...),\n" +
    "and write it to the destination directory under the last path segment of the URL.",
  options: [
    {
      flags: "-d, --destination <dir>",
      description: "directory to write the file into (created when missing)",
      default: ".",
    },
    { flags: "-o, --output <file>", description: "file to write instead (- for stdout)" },
    { flags: "--username <user>", description: "basic auth user name" },
    { flags: "--password <password>", description: "basic auth password" },
    { flags: "--version <version>", description: "version asked for (passed to the getter)" },
    {
      flags: "--timeout <duration>",
      description:
        "time limit, e.g. 30s or 5m (absent or 0: none for http, which still fails after 30 s without data; the plugin's own for plugins; at most 24h)",
    },
    ...tlsOptions,
  ],
  async run([href], opts, ctx) {
    const { discoverPlugins, getUrl, schemeOf, BUILTIN_PROTOCOLS } = await import("@capstan/host");
    const url = String(href);
    const settings = await settingsFor(ctx);
    const timeoutMs = parseTimeout(opts.timeout);
    // Discovery only when a plugin may be needed: http(s) never consults plugins.
    const plugins = BUILTIN_PROTOCOLS.includes(schemeOf(url))
      ? []
      : (await discoverPlugins(settings.pluginPath, discoveryOptions(settings, ctx.globals))).plugins;
    const bytes = await getUrl(
      url,
      plugins,
      {
        ...(opts.username === undefined ? {} : { Username: String(opts.username) }),
        ...(opts.password === undefined ? {} : { Password: String(opts.password) }),
        ...(opts.version === undefined ? {} : { Version: String(opts.version) }),
        ...(timeoutMs === undefined ? {} : { Timeout: timeoutMs * 1e6 }),
        ...(opts.certFile === undefined ? {} : { CertFile: String(opts.certFile) }),
        ...(opts.keyFile === undefined ? {} : { KeyFile: String(opts.keyFile) }),
        ...(opts.caFile === undefined ? {} : { CAFile: String(opts.caFile) }),
        ...(opts.insecureSkipTlsVerify ? { InsecureSkipVerifyTLS: true } : {}),
      },
      { settings, env: ctx.env, timeoutMs },
    );
    if (opts.output === "-") {
      ctx.stdout.write(bytes);
      return 0;
    }
    let target = opts.output === undefined ? undefined : String(opts.output);
    if (target === undefined) {
      const name = fileNameOf(url);
      if (!name) {
        throw new CapstanError("no-file-name", `cannot tell a file name from ${url}`, {
          exitCode: ExitCode.usage,
          hint: "pass -o <file> to name the output file",
        });
      }
      target = join(String(opts.destination ?? "."), name);
    }
    // Loaded here: node:fs/promises is not needed by the entry bundle otherwise.
    const { mkdir, writeFile } = await import("node:fs/promises");
    // -d names a directory to write into: created when missing (like `helm pull --untardir`).
    // An -o file's directory must exist (a typo there should not build a tree).
    if (opts.output === undefined) await mkdir(String(opts.destination ?? "."), { recursive: true });
    await writeFile(target, bytes);
    ctx.stderr.write(`pulled ${url} to ${target} (${bytes.length} bytes)\n`);
    return 0;
  },
});

/** Last non-empty path segment of a URL, decoded; undefined when there is none. */
function fileNameOf(href: string): string | undefined {
  let path: string;
  try {
    path = new URL(href).pathname;
  } catch {
    path = href.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  }
  const last = path
    .split("/")
    .filter((s) => s !== "")
    .pop();
  if (!last) return undefined;
  const name = basename(decodeURIComponent(last));
  return name === "." || name === ".." ? undefined : name;
}
