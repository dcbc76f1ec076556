// The built-in http/https getter (Helm's HTTPGetter), on fetch (on node:https when TLS options
// are set: getter-https-tls.ts). Plugins cannot replace it: a plugin claiming http or https
// would see every chart download, credentials included.
import { ExitCode } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";
import type { GetterOptions } from "./getter-options.js";

/** Schemes served by the built-in getter. */
export const BUILTIN_PROTOCOLS: readonly string[] = ["http", "https"];

/** Downloads `href`: Accept, User-Agent, basic auth, timeout and TLS files from `options`. */
export async function httpGet(href: string, options: GetterOptions): Promise<Uint8Array> {
  if (options.CertFile || options.KeyFile || options.CAFile || options.InsecureSkipVerifyTLS) {
    // fetch takes no client certificate or CA file: node:https does (loaded only here).
    const { httpGetWithTls } = await import("./getter-https-tls.js");
    return httpGetWithTls(href, options);
  }
  const headers: Record<string, string> = { "user-agent": options.UserAgent || "Capstan" };
  if (options.AcceptHeader) headers.accept = options.AcceptHeader;
  if (options.Username || options.Password) {
    headers.authorization = `Basic ${Buffer.from(`${options.Username}:${options.Password}`).toString("base64")}`;
  }
  const signal = options.Timeout > 0 ? AbortSignal.timeout(Math.ceil(options.Timeout / 1e6)) : undefined;
  let response: Response;
  try {
    // Redirects are followed; fetch drops Authorization on a cross-origin redirect, which is
    // Helm's behavior without PassCredentialsAll.
    response = await fetch(href, { headers, signal, redirect: "follow" });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    throw new RuntimeError(
      timedOut ? "timeout" : "http",
      `GET ${href}: ${timedOut ? "timed out" : (((e as Error).cause as Error | undefined)?.message ?? (e as Error).message)}`,
      {
        exitCode: timedOut ? ExitCode.timeout : ExitCode.failure,
        hint: "check the URL and your network connection",
        cause: e,
      },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RuntimeError("http", `GET ${href}: ${response.status} ${response.statusText}`, {
      exitCode: response.status === 404 ? ExitCode.notFound : ExitCode.failure,
      hint:
        response.status === 401 || response.status === 403
          ? "the server wants credentials: pass --username/--password"
          : "check the URL",
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}
