// A local plugin archive; its provenance is `<file>.prov` beside it.
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import type { FetchedArchive } from "./fetched.js";

/** Reads `<path>` and `<path>.prov` (absent .prov is reported as undefined). */
export function fetchTgz(path: string, maxBytes: number): FetchedArchive {
  const abs = resolve(path);
  const unreadable = (e: unknown): never => {
    throw new InstallError(
      "INSTALL_SOURCE_NOT_FOUND",
      `cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      {
        hint: "check the path; a plugin archive is a <name>-<version>.tgz file",
        exitCode: ExitCode.notFound,
        cause: e,
      },
    );
  };
  let size = 0;
  try {
    size = statSync(abs).size;
  } catch (e) {
    unreadable(e);
  }
  // Checked before reading, so an oversized file never lands in memory.
  if (size > maxBytes) {
    throw new InstallError("ARCHIVE_UNSAFE", `${abs}: ${size} bytes exceed the archive cap of ${maxBytes}`, {
      hint: "raise CAPSTAN_MAX_ARCHIVE_BYTES if the plugin is really that large",
      exitCode: ExitCode.verification,
    });
  }
  let bytes = Buffer.alloc(0);
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    unreadable(e);
  }
  let prov: string | undefined;
  try {
    prov = readFileSync(`${abs}.prov`, "utf8");
  } catch {
    prov = undefined;
  }
  return { kind: "tgz", source: abs, fileName: basename(abs), bytes, prov, provLabel: `${abs}.prov` };
}
