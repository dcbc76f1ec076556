// Downloads from a plugin repository: its index, tarballs and .prov files. One function so the
// credential rule lives in one place: the repository's username/password and client
// certificate go only to the repository's own origin (scheme, host, port). A tarball listed at
// another origin, or a redirect to one, is fetched without them (Helm's rule without
// --pass-credentials). Bodies are capped while they stream in, and a server that stops
// sending fails after an idle timeout instead of hanging the command.
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import type { RepoConfigEntry } from "./repo-config.js";

const MAX_REDIRECTS = 10;
/** No byte for this long ends the request (CAPSTAN_REPO_IDLE_TIMEOUT_MS overrides it). */
const IDLE_TIMEOUT_MS = 30_000;

/** A finished response: status and the whole (capped) body. */
interface RepoResponse {
  status: number;
  body: Buffer;
  /** URL after redirects. */
  url: string;
}

/** GET `href` for repository `repo`; `what` names the thing in errors. */
export async function repoGet(
  repo: RepoConfigEntry,
  href: string,
  options: { maxBytes: number; what: string; env?: NodeJS.ProcessEnv },
): Promise<RepoResponse> {
  const own = new URL(repo.url).origin;
  const idle = Number(options.env?.CAPSTAN_REPO_IDLE_TIMEOUT_MS) || IDLE_TIMEOUT_MS;
  let url = new URL(href);
  for (let hop = 0; ; hop++) {
    const res = await request(url, repo, url.origin === own, idle, options.what);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw unreachable(repo, options.what, `more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      if (url.protocol !== "https:" && url.protocol !== "http:")
        throw unreachable(repo, options.what, `redirected to unsupported URL ${url.protocol}`);
      continue;
    }
    const body = await readBody(res, options, repo);
    return { status, body, url: url.href };
  }
}

function request(
  url: URL,
  repo: RepoConfigEntry,
  sameOrigin: boolean,
  idleMs: number,
  what: string,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = { "user-agent": "capstan" };
  if (sameOrigin && (repo.username !== undefined || repo.password !== undefined)) {
    headers.authorization = `Basic ${Buffer.from(`${repo.username ?? ""}:${repo.password ?? ""}`).toString("base64")}`;
  }
  const https = url.protocol === "https:";
  const tls = https ? tlsOptions(repo, sameOrigin) : {};
  return new Promise((resolve, reject) => {
    import(https ? "node:https" : "node:http").then(({ request: send }) => {
      const req = send(url, { method: "GET", headers, ...tls });
      req.setTimeout(idleMs, () => req.destroy(new Error(`no response for ${idleMs} ms`)));
      req.on("response", (res: IncomingMessage) => {
        res.setTimeout(idleMs, () => res.destroy(new Error(`no data for ${idleMs} ms`)));
        resolve(res);
      });
      req.on("error", (e: Error) => reject(unreachable(repo, what, describe(e), untrustedCertificate(e))));
      req.end();
    }, reject);
  });
}

/** TLS files of the repository; the client certificate only for its own origin. */
function tlsOptions(repo: RepoConfigEntry, sameOrigin: boolean): Record<string, unknown> {
  const read = (file: string, flag: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new InstallError(
        "REPO_CONFIG_INVALID",
        `repository ${repo.name}: cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code}`,
        {
          hint: `fix the path: \`capstan plugin repo add ${repo.name} ${repo.url} ${flag} <file> --force-update\``,
        },
      );
    }
  };
  return {
    ...(repo.caFile ? { ca: read(repo.caFile, "--ca-file") } : {}),
    ...(sameOrigin && repo.certFile ? { cert: read(repo.certFile, "--cert-file") } : {}),
    ...(sameOrigin && repo.keyFile ? { key: read(repo.keyFile, "--key-file") } : {}),
    rejectUnauthorized: !repo.insecure_skip_tls_verify,
  };
}

async function readBody(
  res: IncomingMessage,
  options: { maxBytes: number; what: string },
  repo: RepoConfigEntry,
): Promise<Buffer> {
  const tooLarge = (): InstallError =>
    new InstallError(
      "REPO_INDEX_TOO_LARGE",
      `repository ${repo.name}: ${options.what} is larger than the cap of ${options.maxBytes} bytes`,
      {
        hint: "raise CAPSTAN_MAX_INDEX_BYTES (index) or CAPSTAN_MAX_ARCHIVE_BYTES (tarball) if it is really that large",
        exitCode: ExitCode.verification,
      },
    );
  if (Number(res.headers["content-length"]) > options.maxBytes) {
    res.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res) {
      total += (chunk as Buffer).length;
      if (total > options.maxBytes) {
        res.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (e instanceof InstallError) throw e;
    throw unreachable(repo, options.what, describe(e as Error));
  }
  return Buffer.concat(chunks);
}

function describe(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
}

/** OpenSSL's verify results and Node's host name check (not alerts from the server, ERR_SSL_*). */
function untrustedCertificate(e: Error): boolean {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return !code.startsWith("ERR_SSL_") && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(code);
}

function unreachable(repo: RepoConfigEntry, what: string, why: string, untrusted = false): InstallError {
  return new InstallError("REPO_UNREACHABLE", `repository ${repo.name} (${repo.url}): ${what}: ${why}`, {
    // An untrusted server certificate is a refused verification, as for `capstan pull`.
    ...(untrusted
      ? {
          exitCode: ExitCode.verification,
          hint: `the server's certificate is not trusted: \`capstan plugin repo add ${repo.name} ${repo.url} --ca-file <ca.pem> --force-update\``,
        }
      : { hint: "check the URL and your network; `capstan plugin repo list` shows the URL" }),
  });
}
