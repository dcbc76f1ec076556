// Minimal OpenPGP packet framing (RFC 4880 4.2), only to split a binary keyring into one
// block per primary key when openpgp.js refuses the file as a whole.
const primaryKeyTags = new Set([5, 6]);

/** Splits binary key material into transferable keys, cutting before each primary key packet. */
export function splitKeyBlocks(bytes: Uint8Array): Uint8Array[] {
  const starts: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const start = i;
    const hdr = bytes[i] ?? 0;
    if ((hdr & 0x80) === 0) throw new Error(`invalid packet header at byte ${i}`);
    let tag: number;
    let len: number;
    i++;
    if (hdr & 0x40) {
      tag = hdr & 0x3f;
      const o = bytes[i] ?? 0;
      if (o < 192) {
        len = o;
        i += 1;
      } else if (o < 224) {
        len = ((o - 192) << 8) + (bytes[i + 1] ?? 0) + 192;
        i += 2;
      } else if (o === 255) {
        len = Buffer.from(bytes.subarray(i + 1, i + 5)).readUInt32BE(0);
        i += 5;
      } else {
        throw new Error(`partial-length packet at byte ${start} in a keyring`);
      }
    } else {
      tag = (hdr >> 2) & 0x0f;
      const lt = hdr & 3;
      if (lt === 0) {
        len = bytes[i] ?? 0;
        i += 1;
      } else if (lt === 1) {
        len = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
        i += 2;
      } else if (lt === 2) {
        len = Buffer.from(bytes.subarray(i, i + 4)).readUInt32BE(0);
        i += 4;
      } else {
        len = bytes.length - i;
      }
    }
    if (primaryKeyTags.has(tag)) starts.push(start);
    i += len;
  }
  if (i !== bytes.length) throw new Error("truncated packet at the end of the keyring");
  return starts.map((s, n) => bytes.subarray(s, starts[n + 1] ?? bytes.length));
}
