// The built-in http/https getter (Helm's HTTPGetter), on fetch (on node:https when TLS options
// are set: getter-https-tls.ts). Plugins cannot replace it: a plugin claiming http or https
// would see every chart download, credentials included.
import { ExitCode } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";
import { type GetterOptions, HTTP_IDLE_TIMEOUT_MS } from "./getter-options.js";

/** Schemes served by the built-in getter. */
export const BUILTIN_PROTOCOLS: readonly string[] = ["http", "https"];

/** Downloads `href`: Accept, User-Agent, basic auth, timeout and TLS files from `options`. */
export async function httpGet(
  href: string,
  options: GetterOptions,
  idleMs = HTTP_IDLE_TIMEOUT_MS,
): Promise<Uint8Array> {
  if (options.CertFile || options.KeyFile || options.CAFile || options.InsecureSkipVerifyTLS) {
    // fetch takes no client certificate or CA file: node:https does (loaded only here).
    const { httpGetWithTls } = await import("./getter-https-tls.js");
    return httpGetWithTls(href, options, idleMs);
  }
  const headers: Record<string, string> = { "user-agent": options.UserAgent || "Capstan" };
  if (options.AcceptHeader) headers.accept = options.AcceptHeader;
  if (options.Username || options.Password) {
    headers.authorization = `Basic ${Buffer.from(`${options.Username}:${options.Password}`).toString("base64")}`;
  }
  const overall = options.Timeout > 0 ? AbortSignal.timeout(Math.ceil(options.Timeout / 1e6)) : undefined;
  // The idle timer restarts on every chunk; unref'd, so a finished download never holds the process.
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), idleMs);
    timer.unref();
  };
  const signal = overall ? AbortSignal.any([idle.signal, overall]) : idle.signal;
  const failed = (e: unknown): RuntimeError => {
    const timedOut = signal.aborted;
    const why = idle.signal.aborted ? ` (no data for ${idleMs} ms)` : "";
    return new RuntimeError(
      timedOut ? "timeout" : "http",
      `GET ${href}: ${timedOut ? `timed out${why}` : (((e as Error).cause as Error | undefined)?.message ?? (e as Error).message)}`,
      {
        exitCode: timedOut ? ExitCode.timeout : ExitCode.failure,
        hint: timedOut
          ? "the server stalled or is slow: retry later, or raise --timeout"
          : "check the URL and your network connection",
        cause: e,
      },
    );
  };
  touch();
  let response: Response;
  try {
    // Redirects are followed; fetch drops Authorization on a cross-origin redirect, which is
    // Helm's behavior without PassCredentialsAll.
    response = await fetch(href, { headers, signal, redirect: "follow" });
  } catch (e) {
    clearTimeout(timer);
    throw failed(e);
  }
  if (!response.ok) {
    clearTimeout(timer);
    await response.body?.cancel().catch(() => undefined);
    throw new RuntimeError("http", `GET ${href}: ${response.status} ${response.statusText}`, {
      exitCode: response.status === 404 ? ExitCode.notFound : ExitCode.failure,
      hint:
        response.status === 401 || response.status === 403
          ? "the server wants credentials: pass --username/--password"
          : "check the URL",
    });
  }
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      touch();
      chunks.push(chunk);
    }
  } catch (e) {
    throw failed(e);
  } finally {
    clearTimeout(timer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
