// SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4) in plain JS for crypto.subtle.digest.

function pad(msg: Uint8Array, block: number): DataView {
  const lenBytes = block === 128 ? 16 : 8;
  const total = Math.ceil((msg.length + 1 + lenBytes) / block) * block;
  const buf = new Uint8Array(total);
  buf.set(msg);
  buf[msg.length] = 0x80;
  const dv = new DataView(buf.buffer);
  const bits = msg.length * 8;
  dv.setUint32(total - 8, Math.floor(bits / 0x100000000));
  dv.setUint32(total - 4, bits >>> 0);
  return dv;
}

function sha1(msg: Uint8Array): Uint8Array {
  const dv = pad(msg, 64);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  for (let off = 0; off < dv.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getInt32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number);
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const f =
        i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + c) | 0;
    h[3] = ((h[3] as number) + d) | 0;
    h[4] = ((h[4] as number) + e) | 0;
  }
  const out = new DataView(new ArrayBuffer(20));
  h.forEach((v, i) => {
    out.setInt32(i * 4, v);
  });
  return new Uint8Array(out.buffer);
}

const K256 = new Int32Array(64);
const K512 = new Int32Array(160);
{
  // round constants: fractional parts of cube roots of the first primes (computed, not typed in)
  const primes: number[] = [];
  for (let n = 2; primes.length < 80; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const frac = (x: number, words: number, out: Int32Array, at: number) => {
    // exact 64-bit fraction of x^(1/3) via BigInt Newton iteration
    const scale = 1n << BigInt(32 * words);
    const target = BigInt(x) * scale * scale * scale;
    let r = BigInt(Math.floor(Math.cbrt(x) * 2 ** 20)) << BigInt(32 * words - 20);
    for (let i = 0; i < 8; i++) r = (2n * r + target / (r * r)) / 3n;
    while (r * r * r > target) r -= 1n;
    while ((r + 1n) * (r + 1n) * (r + 1n) <= target) r += 1n;
    const f = r % scale;
    for (let w = 0; w < words; w++)
      out[at + w] = Number((f >> BigInt(32 * (words - 1 - w))) & 0xffffffffn) | 0;
  };
  primes.forEach((p, i) => {
    if (i < 64) frac(p, 1, K256, i);
    frac(p, 2, K512, i * 2);
  });
}

function sha256(msg: Uint8Array): Uint8Array {
  const dv = pad(msg, 64);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Int32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < dv.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getInt32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15] as number;
      const y = w[i - 2] as number;
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 =
        (hh +
          (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
          ((e & f) ^ (~e & g)) +
          (K256[i] as number) +
          (w[i] as number)) |
        0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => {
      h[i] = ((h[i] as number) + v) | 0;
    });
  }
  const out = new DataView(new ArrayBuffer(32));
  h.forEach((v, i) => {
    out.setInt32(i * 4, v);
  });
  return new Uint8Array(out.buffer);
}

const IV512 = [
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1, 0x510e527f,
  0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
];
const IV384 = [
  0xcbbb9d5d, 0xc1059ed8, 0x629a292a, 0x367cd507, 0x9159015a, 0x3070dd17, 0x152fecd8, 0xf70e5939, 0x67332667,
  0xffc00b31, 0x8eb44a87, 0x68581511, 0xdb0c2e0d, 0x64f98fa7, 0x47b5481d, 0xbefa4fa4,
];

/** SHA-512 core on 32-bit halves (hi, lo pairs); `outWords` 16 for SHA-512, 12 for SHA-384. */
function sha512(msg: Uint8Array, iv: number[], outWords: number): Uint8Array {
  const dv = pad(msg, 128);
  const h = Int32Array.from(iv);
  const w = new Int32Array(160);
  const v = new Int32Array(16);
  for (let off = 0; off < dv.byteLength; off += 128) {
    for (let i = 0; i < 32; i++) w[i] = dv.getInt32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      // s0 = rotr1 ^ rotr8 ^ shr7 of w[i-15]; s1 = rotr19 ^ rotr61 ^ shr6 of w[i-2]
      const xh = w[(i - 15) * 2] as number;
      const xl = w[(i - 15) * 2 + 1] as number;
      const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
      const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
      const yh = w[(i - 2) * 2] as number;
      const yl = w[(i - 2) * 2 + 1] as number;
      const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
      const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
      let lo =
        (s0l >>> 0) +
        (s1l >>> 0) +
        ((w[(i - 7) * 2 + 1] as number) >>> 0) +
        ((w[(i - 16) * 2 + 1] as number) >>> 0);
      const hi =
        s0h + s1h + (w[(i - 7) * 2] as number) + (w[(i - 16) * 2] as number) + Math.floor(lo / 0x100000000);
      lo >>>= 0;
      w[i * 2] = hi | 0;
      w[i * 2 + 1] = lo | 0;
    }
    v.set(h);
    for (let i = 0; i < 80; i++) {
      const ah = v[0] as number,
        al = v[1] as number,
        bh = v[2] as number,
        bl = v[3] as number;
      const ch = v[4] as number,
        cl = v[5] as number,
        dh = v[6] as number,
        dl = v[7] as number;
      const eh = v[8] as number,
        el = v[9] as number,
        fh = v[10] as number,
        fl = v[11] as number;
      const gh = v[12] as number,
        gl = v[13] as number,
        hh = v[14] as number,
        hl = v[15] as number;
      // S1(e) = rotr14 ^ rotr18 ^ rotr41
      const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      let t1l =
        (hl >>> 0) +
        (S1l >>> 0) +
        (chl >>> 0) +
        ((K512[i * 2 + 1] as number) >>> 0) +
        ((w[i * 2 + 1] as number) >>> 0);
      const t1h =
        (hh + S1h + chh + (K512[i * 2] as number) + (w[i * 2] as number) + Math.floor(t1l / 0x100000000)) | 0;
      t1l >>>= 0;
      // S0(a) = rotr28 ^ rotr34 ^ rotr39
      const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const mjh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const mjl = (al & bl) ^ (al & cl) ^ (bl & cl);
      let t2l = (S0l >>> 0) + (mjl >>> 0);
      const t2h = (S0h + mjh + Math.floor(t2l / 0x100000000)) | 0;
      t2l >>>= 0;
      v.copyWithin(2, 0, 14);
      let nel = (dl >>> 0) + t1l;
      v[8] = (dh + t1h + Math.floor(nel / 0x100000000)) | 0;
      nel >>>= 0;
      v[9] = nel | 0;
      let nal = t1l + t2l;
      v[0] = (t1h + t2h + Math.floor(nal / 0x100000000)) | 0;
      nal >>>= 0;
      v[1] = nal | 0;
    }
    for (let i = 0; i < 16; i += 2) {
      let lo = ((h[i + 1] as number) >>> 0) + ((v[i + 1] as number) >>> 0);
      h[i] = ((h[i] as number) + (v[i] as number) + Math.floor(lo / 0x100000000)) | 0;
      lo >>>= 0;
      h[i + 1] = lo | 0;
    }
  }
  const out = new DataView(new ArrayBuffer(outWords * 4));
  for (let i = 0; i < outWords; i++) out.setInt32(i * 4, h[i] as number);
  return new Uint8Array(out.buffer);
}

/** Digests `data` with SHA-1, SHA-256, SHA-384 or SHA-512 (name case-insensitive, dash optional). */
export function digest(algorithm: string, data: Uint8Array): Uint8Array {
  switch (algorithm.toUpperCase().replace(/^SHA-?/, "SHA-")) {
    case "SHA-1":
      return sha1(data);
    case "SHA-256":
      return sha256(data);
    case "SHA-384":
      return sha512(data, IV384, 12);
    case "SHA-512":
      return sha512(data, IV512, 16);
    default:
      throw new Error(`Unrecognized algorithm name: ${algorithm}`);
  }
}
