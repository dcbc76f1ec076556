// A plugin archive at an http(s) URL; its provenance is at the same URL + ".prov" (Helm).
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import type { FetchedArchive } from "./fetched.js";
import { readCapped } from "./read-capped.js";

/** Downloads `<url>` (capped) and `<url>.prov` (404 means unsigned). */
export async function fetchHttp(url: string, maxBytes: number): Promise<FetchedArchive> {
  const res = await get(url);
  if (!res.ok) {
    throw new InstallError("INSTALL_DOWNLOAD_FAILED", `${url}: HTTP ${res.status} ${res.statusText}`, {
      hint: "check the URL",
      exitCode: res.status === 404 ? ExitCode.notFound : ExitCode.failure,
    });
  }
  const bytes = await readCapped(res, url, maxBytes);
  const provUrl = `${url}.prov`;
  const provRes = await get(provUrl);
  let prov: string | undefined;
  if (provRes.ok) prov = (await readCapped(provRes, provUrl, 1024 * 1024)).toString("utf8");
  else if (provRes.status !== 404) {
    throw new InstallError(
      "INSTALL_DOWNLOAD_FAILED",
      `${provUrl}: HTTP ${provRes.status} ${provRes.statusText}`,
      {
        hint: "the provenance file could not be downloaded; retry, or pass --verify=false to skip verification (unsafe)",
      },
    );
  } else await provRes.arrayBuffer().catch(() => undefined);
  const fileName = decodeURIComponent(new URL(res.url || url).pathname.split("/").pop() ?? "");
  return { kind: "http", source: url, fileName, bytes, prov, provLabel: provUrl };
}

async function get(url: string): Promise<Response> {
  try {
    return await fetch(url, { redirect: "follow", headers: { "user-agent": "capstan" } });
  } catch (e) {
    throw new InstallError(
      "INSTALL_DOWNLOAD_FAILED",
      `${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`,
      {
        hint: "check the URL and your network",
        cause: e,
      },
    );
  }
}
