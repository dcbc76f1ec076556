// A local plugin archive; its provenance is `<file>.prov` beside it.
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../install/install-error.js";
import type { FetchedArchive } from "./fetched.js";

/** Reads `<path>` and `<path>.prov` (absent .prov is reported as undefined). */
export function fetchTgz(path: string, maxBytes: number): FetchedArchive {
  const abs = resolve(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    throw new InstallError(
      "INSTALL_SOURCE_NOT_FOUND",
      `cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      {
        exitCode: ExitCode.notFound,
        cause: e,
      },
    );
  }
  if (bytes.length > maxBytes) {
    throw new InstallError(
      "ARCHIVE_UNSAFE",
      `${abs}: ${bytes.length} bytes exceed the archive cap of ${maxBytes}`,
      {
        hint: "raise CAPSTAN_MAX_ARCHIVE_BYTES if the plugin is really that large",
        exitCode: ExitCode.verification,
      },
    );
  }
  let prov: string | undefined;
  try {
    prov = readFileSync(`${abs}.prov`, "utf8");
  } catch {
    prov = undefined;
  }
  return { kind: "tgz", source: abs, fileName: basename(abs), bytes, prov, provLabel: `${abs}.prov` };
}
