// Safe extraction of a plugin archive. The whole archive is read and checked in memory
// first (it is capped), and only then written, so a refused archive writes nothing.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ExitCode } from "@capstan/manifest";
import { Parser, type ReadEntry } from "tar";
import { InstallError } from "../errors.js";
import { normalizeEntryPath } from "./entry-path.js";
import type { ArchiveLimits } from "./limits.js";

/** One checked archive member. */
export interface ArchiveMember {
  path: string;
  type: "file" | "dir";
  /** 0o755 when the archive gave any execute bit, else 0o644 (dirs: 0o755). */
  mode: number;
  data: Buffer;
}

const KIND: Record<string, string> = {
  SymbolicLink: "symlink",
  Link: "hardlink",
  CharacterDevice: "character device",
  BlockDevice: "block device",
  FIFO: "fifo",
};

/** Decompresses and parses a .tgz (or plain .tar), enforcing the name, type and size rules. */
export function readArchive(bytes: Uint8Array, label: string, limits: ArchiveLimits): ArchiveMember[] {
  const refuse = (what: string, why: string): never => {
    throw new InstallError(
      "ARCHIVE_UNSAFE",
      `${label}: refused archive entry ${JSON.stringify(what)}: ${why}`,
      {
        hint: "only regular files and directories under one top directory may be packaged; repackage with `capstan plugin package`",
        exitCode: ExitCode.verification,
      },
    );
  };
  if (bytes.length > limits.maxTotalBytes) {
    refuse("(archive)", `compressed size ${bytes.length} exceeds ${limits.maxTotalBytes} bytes`);
  }
  let tar: Buffer;
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  try {
    // Headers and padding take at most 3 blocks per entry beyond the file bytes.
    const maxOutputLength = limits.maxTotalBytes + (limits.maxEntries + 2) * 1536;
    tar = gzip ? gunzipSync(bytes, { maxOutputLength }) : Buffer.from(bytes);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE")
      refuse("(archive)", `decompresses to more than ${limits.maxTotalBytes} bytes`);
    throw new InstallError("ARCHIVE_CORRUPT", `${label}: not a gzip archive: ${(e as Error).message}`, {
      hint: "the file is damaged or not a plugin .tgz; download it again",
      exitCode: ExitCode.verification,
    });
  }

  const members: ArchiveMember[] = [];
  const seen = new Map<string, "file" | "dir">();
  const parents = new Set<string>();
  let total = 0;
  let failure: unknown;
  const parser = new Parser({
    strict: true,
    onReadEntry(entry: ReadEntry) {
      if (failure !== undefined) return entry.resume();
      try {
        members.push(check(entry));
      } catch (e) {
        failure = e;
        entry.resume();
      }
    },
  });
  const check = (entry: ReadEntry): ArchiveMember => {
    const raw = entry.path;
    if (members.length + 1 > limits.maxEntries) refuse(raw, `more than ${limits.maxEntries} entries`);
    const kind =
      entry.type === "File" || entry.type === "OldFile"
        ? "file"
        : entry.type === "Directory"
          ? "dir"
          : undefined;
    if (kind === undefined) refuse(raw, `${KIND[entry.type] ?? entry.type} entries are not allowed`);
    const norm = normalizeEntryPath(raw);
    if ("reason" in norm) return refuse(raw, norm.reason);
    const path = norm.path;
    // Case-folded, so an archive cannot overwrite itself on a case-insensitive file system.
    const key = path.toLowerCase();
    if (seen.has(key)) refuse(raw, "duplicate entry");
    const segments = key.split("/");
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join("/");
      if (seen.get(parent) === "file") refuse(raw, `its parent ${parent} is a file`);
      parents.add(parent);
    }
    if (kind === "file" && parents.has(key)) refuse(raw, "a file with the name of a directory");
    seen.set(key, kind!);
    const size = entry.size ?? 0;
    if (size > limits.maxFileBytes)
      refuse(raw, `size ${size} exceeds the per-file cap of ${limits.maxFileBytes} bytes`);
    total += size;
    if (total > limits.maxTotalBytes) refuse(raw, `total size exceeds ${limits.maxTotalBytes} bytes`);
    const chunks: Buffer[] = [];
    entry.on("data", (c: Buffer) => chunks.push(c));
    const member: ArchiveMember = {
      path,
      type: kind!,
      mode: kind === "dir" || ((entry.mode ?? 0) & 0o111) !== 0 ? 0o755 : 0o644,
      data: Buffer.alloc(0),
    };
    entry.on("end", () => {
      member.data = Buffer.concat(chunks);
    });
    return member;
  };
  parser.on("error", (e: Error) => {
    failure ??= new InstallError("ARCHIVE_CORRUPT", `${label}: damaged tar archive: ${e.message}`, {
      hint: "the file is damaged or not a plugin .tgz; download it again",
      exitCode: ExitCode.verification,
    });
  });
  parser.end(tar);
  if (failure !== undefined) throw failure;
  if (members.length === 0) {
    throw new InstallError("ARCHIVE_EMPTY", `${label}: the archive has no entries`, {
      hint: "package the plugin directory with `capstan plugin package <dir>`",
      exitCode: ExitCode.verification,
    });
  }
  return members;
}

/** Writes checked members under `dest` (which must exist and be empty); never follows links. */
export function writeMembers(members: readonly ArchiveMember[], dest: string): void {
  for (const m of members) {
    const target = join(dest, m.path);
    if (m.type === "dir") {
      mkdirSync(target, { recursive: true, mode: 0o755 });
    } else {
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      // "wx": fail rather than write through anything already there.
      writeFileSync(target, m.data, { flag: "wx", mode: m.mode });
    }
  }
}

/** readArchive + writeMembers. Returns the members written. */
export function extractArchive(
  bytes: Uint8Array,
  dest: string,
  label: string,
  limits: ArchiveLimits,
): ArchiveMember[] {
  const members = readArchive(bytes, label, limits);
  writeMembers(members, dest);
  return members;
}
