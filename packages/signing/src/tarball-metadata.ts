// Reads plugin.yaml out of a plugin tarball (read-only; extraction and its safety rules live
// in @capstan/host). plugin.yaml may sit at the archive root or one directory down.
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { SignatureCode, SignatureError } from "./errors.js";
import type { ExpectedPlugin } from "./types.js";

const maxArchiveBytes = 100 * 1024 * 1024;
const maxManifestBytes = 5 * 1024 * 1024;

/** plugin.yaml text plus its name and version, as strings as written. */
export interface TarballMetadata extends ExpectedPlugin {
  yaml: string;
}

function field(block: Uint8Array, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return Buffer.from(nul === -1 ? raw : raw.subarray(0, nul)).toString("utf8");
}

/** Finds and parses plugin.yaml in a .tgz (path or bytes). */
export async function readTarballMetadata(
  tarball: string | Uint8Array,
  label = typeof tarball === "string" ? tarball : "tarball",
): Promise<TarballMetadata> {
  const fail = (why: string, cause?: unknown) =>
    new SignatureError(SignatureCode.tarballUnreadable, `${label}: ${why}`, {
      hint: "build the tarball with `capstan plugin package <dir>`",
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
    if ((type === "0" || type === "\0") && /^([^/]+\/)?plugin\.yaml$/.test(name)) {
      if (size > maxManifestBytes) throw fail(`${name} is larger than 5 MiB`);
      if (found.has(name)) throw fail(`duplicate entry ${name}`);
      found.set(name, Buffer.from(data));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  const root = found.get("plugin.yaml");
  const nested = [...found.keys()].filter((n) => n !== "plugin.yaml");
  if (root === undefined && nested.length > 1) throw fail(`several plugin.yaml files (${nested.join(", ")})`);
  const bytes = root ?? (nested[0] === undefined ? undefined : found.get(nested[0]));
  if (bytes === undefined) throw fail("no plugin.yaml at the archive root or one directory down");
  const yaml = bytes.toString("utf8");
  let doc: unknown;
  try {
    doc = parse(yaml, { schema: "failsafe" });
  } catch (e) {
    throw fail(`plugin.yaml is not valid YAML (${(e as Error).message.split("\n")[0]})`, e);
  }
  const m = doc as { name?: unknown; version?: unknown } | null;
  if (m === null || typeof m !== "object" || typeof m.name !== "string" || typeof m.version !== "string") {
    throw fail("plugin.yaml has no name or version");
  }
  return { yaml, name: m.name, version: m.version };
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
