// Deterministic gzip: zlib already writes mtime 0 and no file name; the OS byte is fixed to
// 3 (Unix) so the bytes do not depend on the platform that packaged the plugin.
import { gzipSync } from "node:zlib";

/** gzip with a fixed header (mtime 0, no name, OS = Unix) and maximum compression. */
export function deterministicGzip(data: Uint8Array): Buffer {
  const out = gzipSync(data, { level: 9 });
  out.writeUInt32LE(0, 4);
  out[9] = 3;
  return out;
}
