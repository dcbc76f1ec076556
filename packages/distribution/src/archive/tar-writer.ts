// A minimal, deterministic ustar writer. node-tar reads the file system itself (readdir
// order, umask-dependent modes, real mtimes), so byte-identical output would need most of its
// options overridden; 512-byte headers are simple enough to write directly (docs/decisions.md).

/** One archive member: a regular file or a directory. */
export interface TarEntry {
  /** Path inside the archive, `/`-separated, no trailing slash. */
  path: string;
  type: "file" | "dir";
  /** Permission bits, e.g. 0o644. */
  mode: number;
  /** File contents (files only). */
  data?: Uint8Array;
}

const BLOCK = 512;
const encoder = new TextEncoder();

/** Serializes entries in the given order: uid/gid 0, empty uname/gname, the given mtime. */
export function writeTar(entries: readonly TarEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = e.type === "dir" ? `${e.path}/` : e.path;
    const data = e.type === "file" ? Buffer.from(e.data ?? new Uint8Array()) : Buffer.alloc(0);
    const split = splitUstarName(name);
    if (split === undefined) {
      // The name does not fit ustar's name/prefix fields: a pax header carries it.
      const pax = paxRecord("path", name);
      parts.push(header({ name: "PaxHeader", mode: 0o644, size: pax.length, type: "x", mtime }), pad(pax));
    }
    const { name: short, prefix } = split ?? { name: name.slice(-99), prefix: "" };
    parts.push(
      header({
        name: short,
        prefix,
        mode: e.mode,
        size: data.length,
        type: e.type === "dir" ? "5" : "0",
        mtime,
      }),
      pad(data),
    );
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Fields of one raw header; tests use this to build archives the writer would never make. */
export interface RawHeader {
  name: string;
  prefix?: string;
  mode: number;
  size: number;
  /** ustar typeflag: "0" file, "1" hardlink, "2" symlink, "3"/"4" devices, "5" dir, "x" pax. */
  type: string;
  mtime?: number;
  linkname?: string;
}

/** One 512-byte ustar header block with its checksum. */
export function header(h: RawHeader): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(h.name, 0, 100, "utf8");
  octal(b, 100, 8, h.mode);
  octal(b, 108, 8, 0);
  octal(b, 116, 8, 0);
  octal(b, 124, 12, h.size);
  octal(b, 136, 12, h.mtime ?? 0);
  b.write(h.type, 156, 1, "latin1");
  if (h.linkname) b.write(h.linkname, 157, 100, "utf8");
  b.write("ustar\0", 257, 6, "latin1");
  b.write("00", 263, 2, "latin1");
  if (h.prefix) b.write(h.prefix, 345, 155, "utf8");
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "latin1");
  return b;
}

/** Zero-pads data to a whole number of blocks. */
export function pad(data: Uint8Array): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? Buffer.from(data) : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, "0")}\0`, offset, width, "latin1");
}

function paxRecord(key: string, value: string): Buffer {
  // "<len> key=value\n" where len counts its own digits.
  const body = ` ${key}=${value}\n`;
  const bodyLen = encoder.encode(body).length;
  let len = bodyLen + String(bodyLen).length;
  // Adding the length's own digits can carry it into one more digit (e.g. 98 + 2 -> 100).
  if (String(len).length !== String(bodyLen).length) len = bodyLen + String(len).length;
  return Buffer.from(`${len}${body}`, "utf8");
}

function splitUstarName(name: string): { name: string; prefix: string } | undefined {
  const bytes = encoder.encode(name).length;
  if (bytes <= 100) return { name, prefix: "" };
  for (let i = name.indexOf("/"); i !== -1; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(rest).length <= 100 && rest !== "") {
      return { name: rest, prefix };
    }
  }
  return undefined;
}
