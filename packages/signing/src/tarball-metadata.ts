// Reads the metadata file out of a tarball (read-only; extraction and its safety rules live
// in @capstan/distribution): plugin.yaml for a plugin, Chart.yaml for a Helm chart, since a
// .prov has the same format for both and users point the tools at charts too. The file may
// sit at the archive root or one directory down (`<name>/Chart.yaml`, as `helm package` writes).
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { SignatureCode, SignatureError } from "./errors.js";
import type { ExpectedPlugin, PackageKind } from "./types.js";

const maxArchiveBytes = 100 * 1024 * 1024;
const maxManifestBytes = 5 * 1024 * 1024;

/** The metadata file's text plus name and version, as strings as written. */
export interface TarballMetadata extends ExpectedPlugin {
  yaml: string;
  kind: PackageKind;
  /** `plugin.yaml` or `Chart.yaml`. */
  file: string;
}

const metadataFiles: Record<string, PackageKind> = { "plugin.yaml": "plugin", "Chart.yaml": "chart" };
const metadataPath = /^([^/]+\/)?(plugin\.yaml|Chart\.yaml)$/;

function field(block: Uint8Array, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return Buffer.from(nul === -1 ? raw : raw.subarray(0, nul)).toString("utf8");
}

/** Finds and parses plugin.yaml (a plugin) or Chart.yaml (a chart) in a .tgz (path or bytes). */
export async function readTarballMetadata(
  tarball: string | Uint8Array,
  label = typeof tarball === "string" ? tarball : "tarball",
): Promise<TarballMetadata> {
  const fail = (why: string, cause?: unknown) =>
    new SignatureError(SignatureCode.tarballUnreadable, `${label}: ${why}`, {
      hint: "build the tarball with `capstan plugin package <dir>` (a plugin) or `helm package <dir>` (a chart)",
      cause,
    });
  let tar: Buffer;
  try {
    const gz = typeof tarball === "string" ? await readFile(tarball) : tarball;
    tar = gunzipSync(gz, { maxOutputLength: maxArchiveBytes });
  } catch (e) {
    throw fail(`not a readable gzip tar archive (${(e as Error).message})`, e);
  }
  const found = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
    if (!Number.isFinite(size) || size < 0) throw fail(`corrupt tar header at byte ${off}`);
    const type = String.fromCharCode(header[156] ?? 0);
    const magic = field(header, 257, 6);
    const prefix = magic.startsWith("ustar") ? field(header, 345, 155) : "";
    let name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const data = tar.subarray(off + 512, off + 512 + size);
    // GNU long names ('L') and pax extended headers ('x', path=...) name the next entry.
    if (type === "L") longName = data.toString("utf8").replace(/\0.*$/s, "");
    if (type === "x") longName = paxPath(data);
    name = name.replace(/^(\.\/)+/, "");
    if ((type === "0" || type === "\0") && metadataPath.test(name)) {
      if (size > maxManifestBytes) throw fail(`${name} is larger than 5 MiB`);
      if (found.has(name)) throw fail(`duplicate entry ${name}`);
      found.set(name, Buffer.from(data));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  // A file at the root wins over nested ones; otherwise exactly one nested file is allowed.
  const atRoot = [...found.keys()].filter((n) => !n.includes("/"));
  const candidates = atRoot.length > 0 ? atRoot : [...found.keys()];
  if (candidates.length > 1) throw fail(`several metadata files (${candidates.join(", ")})`);
  const path = candidates[0];
  if (path === undefined)
    throw fail("no plugin.yaml or Chart.yaml at the archive root or one directory down");
  const file = path.slice(path.lastIndexOf("/") + 1);
  const kind = metadataFiles[file] as PackageKind;
  const yaml = (found.get(path) as Buffer).toString("utf8");
  let doc: unknown;
  try {
    doc = parse(yaml, { schema: "failsafe" });
  } catch (e) {
    throw fail(`${path} is not valid YAML (${(e as Error).message.split("\n")[0]})`, e);
  }
  const m = doc as { name?: unknown; version?: unknown } | null;
  if (m === null || typeof m !== "object" || typeof m.name !== "string" || typeof m.version !== "string") {
    throw fail(`${path} has no name or version`);
  }
  return { yaml, name: m.name, version: m.version, kind, file };
}

/** The `path` record of a pax extended header ("<len> path=<value>\n" records). */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  for (let i = 0; i < data.length; ) {
    const space = data.indexOf(0x20, i);
    const len = Number.parseInt(data.subarray(i, space).toString("latin1"), 10);
    if (space === -1 || !Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, i + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (record.slice(0, eq) === "path") path = record.slice(eq + 1);
    i += len;
  }
  return path;
}
