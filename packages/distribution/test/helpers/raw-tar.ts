// Builds tar archives byte by byte, including ones no honest packager would produce.
import { gzipSync } from "node:zlib";
import { header, pad, type RawHeader } from "../../src/archive/tar-writer.js";

/** One raw member: a header (any typeflag, any name) and optional data. */
export interface RawMember extends Partial<RawHeader> {
  name: string;
  data?: string | Uint8Array;
  /** pax records written in an `x` header before the member. */
  pax?: Record<string, string>;
}

/** A gzipped tar of the members, in order, with no validation at all. */
export function rawTgz(members: RawMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    if (m.pax) {
      const body = Buffer.from(
        Object.entries(m.pax)
          .map(([k, v]) => {
            const rec = ` ${k}=${v}\n`;
            let len = Buffer.byteLength(rec) + 2;
            while (String(len).length + Buffer.byteLength(rec) !== len) len++;
            return `${len}${rec}`;
          })
          .join(""),
      );
      parts.push(header({ name: "PaxHeader", mode: 0o644, size: body.length, type: "x" }), pad(body));
    }
    const data = m.data === undefined ? Buffer.alloc(0) : Buffer.from(m.data);
    parts.push(
      header({
        name: m.name,
        mode: m.mode ?? 0o644,
        size: m.size ?? data.length,
        type: m.type ?? "0",
        linkname: m.linkname,
        prefix: m.prefix,
      }),
      pad(data),
    );
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
