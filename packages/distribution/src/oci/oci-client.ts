// A small client for the OCI distribution API: enough to pull and push one plugin artifact.
// Auth follows the registry's 401 challenge: `Basic` sends the credentials, `Bearer` fetches
// a token from the realm (with the credentials when given, anonymously otherwise) for the
// challenged scope, as Docker and Helm do.
import { createHash } from "node:crypto";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import { timedFetch } from "../sources/download-timer.js";
import { readCapped } from "../sources/read-capped.js";
import { OCI_MANIFEST } from "./oci-media-types.js";

/** Connection options for one registry. */
export interface OciClientOptions {
  /** Use http:// instead of https:// (Helm's --plain-http). Default false. */
  plainHttp?: boolean;
  username?: string;
  password?: string;
  /** User-Agent header. Default `capstan`. */
  userAgent?: string;
  /** No byte for this long fails a request (default 30 s). */
  idleTimeoutMs?: number;
  /** Overall deadline (--timeout) shared by every request. */
  deadline?: AbortSignal;
  /** Most `Link` pages of a tag list followed (default 1000). */
  maxTagPages?: number;
}

/** A content descriptor. */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** An OCI image manifest (the fields we read and write). */
export interface OciManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

/** Caps of a tag listing: pages followed, bytes of one page, tags in all. */
const MAX_TAG_PAGES = 1000;
const MAX_TAG_LIST_BYTES = 4 * 1024 * 1024;
const MAX_TAGS = 100_000;

function tooMany(where: string, what: string): never {
  throw new InstallError("OCI_PROTOCOL", `${where}: ${what}`, {
    hint: "give the tag in the reference (oci://registry/repo:1.2.3) or an exact --version",
    exitCode: ExitCode.verification,
  });
}

/** Cap of a token service's answer (real tokens are a few KiB). */
const MAX_TOKEN_BYTES = 1024 * 1024;

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `sha256:<hex>` of bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Talks to one registry (`host[:port]`). */
export class OciClient {
  readonly base: string;
  private readonly tokens = new Map<string, string>();
  private basic = false;

  constructor(
    readonly registry: string,
    private readonly options: OciClientOptions = {},
  ) {
    this.base = `${options.plainHttp ? "http" : "https"}://${registry}`;
  }

  /** Fetches and parses a manifest by tag or digest; checks the digest when pulled by digest. */
  async getManifest(
    repository: string,
    reference: string,
  ): Promise<{ manifest: OciManifest; digest: string }> {
    const res = await this.request("GET", repository, `/v2/${repository}/manifests/${reference}`, "pull", {
      headers: { accept: OCI_MANIFEST },
    });
    if (res.status === 404) {
      throw new InstallError("OCI_NOT_FOUND", `${this.registry}/${repository}:${reference} not found`, {
        hint: "check the repository and tag; list tags with your registry's UI or `oras repo tags`",
        exitCode: ExitCode.notFound,
      });
    }
    await this.expectOk(res, `pull manifest ${repository}:${reference}`);
    // 4 MiB: the manifest size registries must accept (OCI distribution spec); ours are < 1 KiB.
    const bytes = await readCapped(
      res,
      `${this.registry}/${repository}:${reference} manifest`,
      4 * 1024 * 1024,
    );
    const digest = sha256Digest(bytes);
    if (reference.startsWith("sha256:") && reference !== digest) {
      throw new InstallError(
        "OCI_DIGEST_MISMATCH",
        `${this.registry}/${repository}@${reference}: the registry sent a manifest with digest ${digest}`,
        {
          hint: "the registry or a proxy altered the content; do not install it, and report it to the registry owner",
          exitCode: ExitCode.verification,
        },
      );
    }
    const manifest = JSON.parse(Buffer.from(bytes).toString("utf8")) as OciManifest;
    if (manifest.schemaVersion !== 2 || !Array.isArray(manifest.layers)) {
      throw new InstallError(
        "OCI_BAD_MANIFEST",
        `${this.registry}/${repository}:${reference} is not an OCI image manifest`,
        {
          hint: "push the plugin with `capstan plugin push` or oras with --artifact-type application/vnd.helm.plugin.v1+json",
        },
      );
    }
    return { manifest, digest };
  }

  /** Downloads a blob and checks its size and digest. */
  async getBlob(repository: string, desc: OciDescriptor, maxBytes: number): Promise<Buffer> {
    if (desc.size > maxBytes) {
      throw new InstallError(
        "OCI_BLOB_TOO_LARGE",
        `${repository}@${desc.digest}: ${desc.size} bytes exceed the cap of ${maxBytes}`,
        {
          hint: "raise CAPSTAN_MAX_ARCHIVE_BYTES if the plugin is really that large",
          exitCode: ExitCode.verification,
        },
      );
    }
    const res = await this.request("GET", repository, `/v2/${repository}/blobs/${desc.digest}`, "pull");
    await this.expectOk(res, `pull blob ${desc.digest}`);
    // The descriptor's size is what the registry claims; the body is capped all the same.
    const bytes = await readCapped(res, `${this.registry}/${repository}@${desc.digest}`, maxBytes);
    if (bytes.length !== desc.size || sha256Digest(bytes) !== desc.digest) {
      throw new InstallError(
        "OCI_DIGEST_MISMATCH",
        `${this.registry}/${repository}@${desc.digest}: the downloaded blob does not match its digest`,
        {
          hint: "the registry or a proxy altered the content; retry, and do not install it if it persists",
          exitCode: ExitCode.verification,
        },
      );
    }
    return bytes;
  }

  /** Uploads a blob unless the registry already has it (monolithic POST then PUT). */
  async pushBlob(repository: string, bytes: Uint8Array): Promise<string> {
    const digest = sha256Digest(bytes);
    const head = await this.request("HEAD", repository, `/v2/${repository}/blobs/${digest}`, "pull,push");
    if (head.status === 200) return digest;
    const start = await this.request("POST", repository, `/v2/${repository}/blobs/uploads/`, "pull,push");
    if (start.status !== 202) await this.expectOk(start, `start blob upload to ${repository}`, [202]);
    const location = start.headers.get("location");
    if (!location)
      throw new InstallError(
        "OCI_PROTOCOL",
        `${this.registry}: blob upload started without a Location header`,
        { hint: "the registry does not follow the OCI distribution API; push to another registry" },
      );
    const url = new URL(location, this.base);
    url.searchParams.set("digest", digest);
    const put = await this.request("PUT", repository, url.toString(), "pull,push", {
      body: bytes,
      headers: { "content-type": "application/octet-stream", "content-length": String(bytes.length) },
    });
    await this.expectOk(put, `upload blob ${digest}`, [201]);
    return digest;
  }

  /** Uploads a manifest under a tag; returns its digest. */
  async putManifest(repository: string, tag: string, manifest: OciManifest): Promise<string> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const res = await this.request("PUT", repository, `/v2/${repository}/manifests/${tag}`, "pull,push", {
      body: bytes,
      headers: { "content-type": manifest.mediaType ?? OCI_MANIFEST },
    });
    await this.expectOk(res, `push manifest ${repository}:${tag}`, [201]);
    return sha256Digest(bytes);
  }

  /**
   * Lists a repository's tags (follows `Link` pagination). A hostile registry cannot make this
   * loop or grow without end: at most `maxTagPages` (1000) pages of {@link MAX_TAG_LIST_BYTES}
   * each, and {@link MAX_TAGS} tags in all.
   */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list`;
    const maxPages = this.options.maxTagPages ?? MAX_TAG_PAGES;
    for (let page = 0; path; page++) {
      if (page >= maxPages) tooMany(`${this.registry}/${repository}`, `more than ${maxPages} pages of tags`);
      const res = await this.request("GET", repository, path, "pull");
      if (res.status === 404) {
        throw new InstallError("OCI_NOT_FOUND", `${this.registry}/${repository} not found`, {
          hint: "check the repository path; push a plugin there with `capstan plugin push <tgz> oci://...`",
          exitCode: ExitCode.notFound,
        });
      }
      await this.expectOk(res, `list tags of ${repository}`);
      const body = await readJson<{ tags?: unknown }>(
        res,
        `${this.registry}/${repository} tag list`,
        MAX_TAG_LIST_BYTES,
      );
      // A loop, not push(...spread): 300k arguments overflow the stack.
      for (const tag of Array.isArray(body.tags) ? body.tags : []) {
        if (typeof tag !== "string") continue;
        if (tags.length >= MAX_TAGS) tooMany(`${this.registry}/${repository}`, `more than ${MAX_TAGS} tags`);
        tags.push(tag);
      }
      path = this.nextPage(res.headers.get("link"), repository);
    }
    return tags;
  }

  /** The `Link: <...>; rel="next"` target, kept on this registry (credentials go nowhere else). */
  private nextPage(link: string | null, repository: string): string | undefined {
    const target = link ? /<([^>]+)>/.exec(link)?.[1] : undefined;
    if (target === undefined) return undefined;
    const url = new URL(target, this.base);
    if (url.origin !== new URL(this.base).origin) {
      throw new InstallError(
        "OCI_PROTOCOL",
        `${this.registry}/${repository}: the tag list links to another server (${url.origin})`,
        {
          hint: "the registry is misconfigured or hostile; give the tag in the reference instead",
          exitCode: ExitCode.verification,
        },
      );
    }
    return url.toString();
  }

  private async request(
    method: string,
    repository: string,
    pathOrUrl: string,
    actions: string,
    init: { headers?: Record<string, string>; body?: Uint8Array } = {},
  ): Promise<Response> {
    const url = pathOrUrl.startsWith("/") ? `${this.base}${pathOrUrl}` : pathOrUrl;
    const scope = `repository:${repository}:${actions}`;
    const send = (): Promise<Response> =>
      this.fetch(url, { method, headers: { ...init.headers, ...this.authHeader(scope) }, body: init.body });
    let res = await send();
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get("www-authenticate") ?? "");
    await res.arrayBuffer().catch(() => undefined);
    if (challenge?.scheme === "basic" && this.options.username !== undefined && !this.basic) {
      this.basic = true;
      res = await send();
    } else if (challenge?.scheme === "bearer" && challenge.params.realm) {
      this.tokens.set(scope, await this.fetchToken(challenge, scope));
      res = await send();
    }
    if (res.status === 401 || res.status === 403) {
      throw new InstallError(
        "OCI_UNAUTHORIZED",
        `${this.registry}: ${method} ${repository} was refused (${res.status})`,
        {
          hint: "pass --username and --password (or CAPSTAN_REGISTRY_USERNAME / CAPSTAN_REGISTRY_PASSWORD) with access to the repository",
          exitCode: ExitCode.failure,
        },
      );
    }
    return res;
  }

  private authHeader(scope: string): Record<string, string> {
    const token = this.tokens.get(scope);
    if (token) return { authorization: `Bearer ${token}` };
    if (this.basic) {
      const creds = Buffer.from(`${this.options.username ?? ""}:${this.options.password ?? ""}`).toString(
        "base64",
      );
      return { authorization: `Basic ${creds}` };
    }
    return {};
  }

  private async fetchToken(challenge: Challenge, scope: string): Promise<string> {
    const url = new URL(challenge.params.realm!);
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    // Ask for what this request needs; also for the challenged scope when it differs.
    for (const sc of new Set([scope, challenge.params.scope ?? scope])) url.searchParams.append("scope", sc);
    const headers: Record<string, string> = {};
    if (this.options.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ""}`).toString("base64")}`;
    }
    const res = await this.fetch(url.toString(), { method: "GET", headers });
    if (!res.ok) {
      throw new InstallError(
        "OCI_UNAUTHORIZED",
        `${this.registry}: the token service ${url.origin} refused (${res.status}) scope ${scope}`,
        {
          hint: "check --username/--password (or CAPSTAN_REGISTRY_USERNAME / CAPSTAN_REGISTRY_PASSWORD)",
        },
      );
    }
    const body = await readJson<{ token?: string; access_token?: string }>(
      res,
      `${url.origin} token response`,
      MAX_TOKEN_BYTES,
    );
    const token = body.token ?? body.access_token;
    if (!token) {
      throw new InstallError("OCI_PROTOCOL", `${url.origin}: the token response holds no token`, {
        hint: "check the registry's token service; try again with --username/--password",
      });
    }
    return token;
  }

  private fetch(url: string, init: { method: string; headers: Record<string, string>; body?: Uint8Array }) {
    return timedFetch(
      url,
      { ...init, headers: { "user-agent": this.options.userAgent ?? "capstan", ...init.headers } },
      this.options,
      (u, reason, cause) =>
        new InstallError("OCI_UNREACHABLE", `${u}: ${reason}`, {
          hint: this.options.plainHttp
            ? "check the registry address"
            : "check the registry address; a registry without TLS needs --plain-http",
          cause,
        }),
    );
  }

  private async expectOk(res: Response, what: string, statuses = [200]): Promise<void> {
    if (statuses.includes(res.status)) return;
    const text = await res.text().catch(() => "");
    throw new InstallError(
      "OCI_REQUEST_FAILED",
      `${this.registry}: ${what} failed with HTTP ${res.status}${text ? `: ${text.slice(0, 300).trim()}` : ""}`,
      {
        hint:
          res.status === 401 || res.status === 403
            ? "check --username/--password (or CAPSTAN_REGISTRY_USERNAME / CAPSTAN_REGISTRY_PASSWORD)"
            : "check the reference and the registry's status; retry later",
        exitCode: res.status === 404 ? ExitCode.notFound : ExitCode.failure,
      },
    );
  }
}

/** A JSON body read through readCapped (capped, idle-timed); OCI_PROTOCOL when it is not JSON. */
async function readJson<T>(res: Response, what: string, maxBytes: number): Promise<T> {
  const bytes = await readCapped(
    res,
    what,
    maxBytes,
    "the registry sent more than any real answer holds; check the address",
  );
  try {
    return JSON.parse(bytes.toString("utf8")) as T;
  } catch (e) {
    throw new InstallError("OCI_PROTOCOL", `${what}: not JSON: ${(e as Error).message}`, {
      hint: "the registry does not follow the OCI distribution API; check the address",
      cause: e,
    });
  }
}

/** Parses `Bearer realm="...",service="...",scope="..."` (or `Basic realm=...`). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, "$1") : (p[3] ?? "");
  }
  return { scheme: m[1]!.toLowerCase(), params };
}
