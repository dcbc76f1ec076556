// The built-in getter when TLS options are set (Helm's --cert-file, --key-file, --ca-file,
// --insecure-skip-tls-verify): node:https, since fetch takes no client certificate or CA
// without undici's Agent (a dependency). Same behavior as the fetch path otherwise: redirects
// followed (TLS options kept; Authorization dropped when the origin changes), the same errors
// and exit codes. Loaded only when one of the options is set.
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { ExitCode } from "@capstan/manifest";
import { RuntimeError } from "../errors.js";
import { type GetterOptions, HTTP_IDLE_TIMEOUT_MS } from "./getter-options.js";

const MAX_REDIRECTS = 10;

/** TLS material read from the option files. */
interface Tls {
  cert?: Buffer;
  key?: Buffer;
  ca?: Buffer;
  rejectUnauthorized: boolean;
}

function readTlsFile(path: string, option: string, href: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RuntimeError(
      "tls-file",
      `GET ${href}: cannot read ${option} ${path}: ${code ?? (e as Error).message}`,
      {
        exitCode: code === "ENOENT" ? ExitCode.notFound : ExitCode.failure,
        hint: `check the ${option} path`,
        cause: e,
      },
    );
  }
}

/** Reads the TLS options' files; a client certificate needs its key and vice versa. */
function tlsOf(href: string, o: GetterOptions): Tls {
  if (Boolean(o.CertFile) !== Boolean(o.KeyFile)) {
    throw new RuntimeError(
      "tls-options",
      `GET ${href}: a client certificate needs both a certificate file and its key file (${o.CertFile ? "key file" : "certificate file"} missing)`,
      { exitCode: ExitCode.usage, hint: "pass both --cert-file and --key-file" },
    );
  }
  return {
    ...(o.CertFile ? { cert: readTlsFile(o.CertFile, "certificate file", href) } : {}),
    ...(o.KeyFile ? { key: readTlsFile(o.KeyFile, "key file", href) } : {}),
    ...(o.CAFile ? { ca: readTlsFile(o.CAFile, "CA file", href) } : {}),
    rejectUnauthorized: !o.InsecureSkipVerifyTLS,
  };
}

/** Downloads `href` with node:http(s) and the TLS options of `options`. */
export async function httpGetWithTls(
  href: string,
  options: GetterOptions,
  idleMs = HTTP_IDLE_TIMEOUT_MS,
): Promise<Uint8Array> {
  const tls = tlsOf(href, options);
  const headers: Record<string, string> = { "user-agent": options.UserAgent || "Capstan" };
  if (options.AcceptHeader) headers.accept = options.AcceptHeader;
  if (options.Username || options.Password) {
    headers.authorization = `Basic ${Buffer.from(`${options.Username}:${options.Password}`).toString("base64")}`;
  }
  const signal = options.Timeout > 0 ? AbortSignal.timeout(Math.ceil(options.Timeout / 1e6)) : undefined;
  let url = new URL(href);
  const origin = url.origin;
  for (let hop = 0; ; hop++) {
    const response = await get(url, headers, tls, signal, href, idleMs);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location && status !== 304) {
      response.resume();
      if (hop >= MAX_REDIRECTS) {
        throw new RuntimeError("http", `GET ${href}: more than ${MAX_REDIRECTS} redirects`, {
          exitCode: ExitCode.failure,
          hint: "check the URL",
        });
      }
      url = new URL(location, url);
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new RuntimeError("http", `GET ${href}: redirected to unsupported URL ${url.href}`, {
          exitCode: ExitCode.failure,
          hint: "check the URL",
        });
      }
      if (url.origin !== origin) delete headers.authorization;
      continue;
    }
    if (status < 200 || status > 299) {
      response.resume();
      throw new RuntimeError("http", `GET ${href}: ${status} ${response.statusMessage ?? ""}`.trimEnd(), {
        exitCode: status === 404 ? ExitCode.notFound : ExitCode.failure,
        hint:
          status === 401 || status === 403
            ? "the server wants credentials: pass --username/--password or a client certificate (--cert-file/--key-file)"
            : "check the URL",
      });
    }
    return await readBody(response, href, signal);
  }
}

async function get(
  url: URL,
  headers: Record<string, string>,
  tls: Tls,
  signal: AbortSignal | undefined,
  href: string,
  idleMs: number,
): Promise<IncomingMessage> {
  const { request } = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "GET",
      headers,
      ...(url.protocol === "https:" ? tls : {}),
      ...(signal ? { signal } : {}),
    });
    // A socket idle this long (also mid-body) fails the download, --timeout or not.
    let response: IncomingMessage | undefined;
    req.setTimeout(idleMs, () => {
      const e = new Error(`no data for ${idleMs} ms`);
      e.name = "AbortError";
      response?.destroy(e); // mid-body: the body read fails with this error
      req.destroy(e);
    });
    req.on("response", (r: IncomingMessage) => {
      response = r;
      resolve(r);
    });
    req.on("error", (e) => reject(failure(e, href, signal)));
    req.end();
  });
}

async function readBody(response: IncomingMessage, href: string, signal?: AbortSignal): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response) chunks.push(chunk as Buffer);
  } catch (e) {
    throw failure(e as Error, href, signal);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** A RuntimeError for a failed request: timeout, TLS verification or network. */
function failure(e: Error, href: string, signal?: AbortSignal): RuntimeError {
  if (signal?.aborted || e.name === "AbortError") {
    return new RuntimeError("timeout", `GET ${href}: timed out`, {
      exitCode: ExitCode.timeout,
      hint: "check the URL and your network connection, or raise --timeout",
      cause: e,
    });
  }
  const code = (e as NodeJS.ErrnoException).code ?? "";
  // OpenSSL's verify results (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED...) and Node's
  // host name check; ERR_SSL_* are alerts from the server (e.g. it wants a client certificate).
  const untrusted =
    !code.startsWith("ERR_SSL_") && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(code);
  return new RuntimeError(untrusted ? "tls" : "http", `GET ${href}: ${code ? `${code}: ` : ""}${e.message}`, {
    // An untrusted server certificate is a refused verification, like a bad signature.
    exitCode: untrusted ? ExitCode.verification : ExitCode.failure,
    hint: untrusted
      ? "the server's certificate is not trusted: pass the CA that signed it with --ca-file"
      : "check the URL, your network connection and the client certificate (--cert-file/--key-file)",
    cause: e,
  });
}
