// A plugin archive at an http(s) URL; its provenance is at the same URL + ".prov" (Helm).
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import { timedFetch } from "./download-timer.js";
import type { FetchedArchive } from "./fetched.js";
import { readCapped } from "./read-capped.js";

/** Time limits of an http(s) download. */
export interface HttpFetchOptions {
  maxBytes: number;
  idleTimeoutMs?: number;
  /** The overall deadline (--timeout), shared by every request of one install. */
  deadline?: AbortSignal;
}

/** Downloads `<url>` (capped) and `<url>.prov` (404 means unsigned). */
export async function fetchHttp(url: string, options: HttpFetchOptions): Promise<FetchedArchive> {
  const res = await get(url, options);
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new InstallError("INSTALL_DOWNLOAD_FAILED", `${url}: HTTP ${res.status} ${res.statusText}`, {
      hint: "check the URL",
      exitCode: res.status === 404 ? ExitCode.notFound : ExitCode.failure,
    });
  }
  const bytes = await readCapped(res, url, options.maxBytes);
  const provUrl = `${url}.prov`;
  const provRes = await get(provUrl, options);
  let prov: string | undefined;
  if (provRes.ok) prov = (await readCapped(provRes, provUrl, 1024 * 1024)).toString("utf8");
  else {
    await provRes.body?.cancel().catch(() => undefined);
    if (provRes.status !== 404) {
      throw new InstallError(
        "INSTALL_DOWNLOAD_FAILED",
        `${provUrl}: HTTP ${provRes.status} ${provRes.statusText}`,
        {
          hint: "the provenance file could not be downloaded; retry, or pass --verify=false to skip verification (unsafe)",
        },
      );
    }
  }
  const fileName = decodeURIComponent(new URL(res.url || url).pathname.split("/").pop() ?? "");
  return { kind: "http", source: url, fileName, bytes, prov, provLabel: provUrl };
}

function get(url: string, options: HttpFetchOptions): Promise<Response> {
  return timedFetch(
    url,
    { headers: { "user-agent": "capstan" } },
    options,
    (u, reason, cause) =>
      new InstallError("INSTALL_DOWNLOAD_FAILED", `${u}: ${reason}`, {
        hint: "check the URL and your network",
        cause,
      }),
  );
}
