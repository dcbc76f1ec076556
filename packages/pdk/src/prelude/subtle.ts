// crypto.subtle: digest and HMAC keys (importKey/exportKey/generateKey/sign/verify) with Web
// Crypto semantics (promises; rejections are DOMExceptions with the standard names). The hashing
// is native: the engine's `__capstan.digest`/`hmac` run libmd's SHA code in C
// (packages/engine/csrc/capstan-hash.c); QuickJS needs 0.8-2.2 s per MiB for the same in JS.
import { base64Decode, base64Encode } from "./base64-codec.js";
import { tag } from "./define.js";
import { DOMException } from "./dom-exception.js";
import { kernel } from "./kernel.js";
import { bytesOf } from "./utf8.js";

type BufferSource = ArrayBuffer | ArrayBufferView;
type AlgorithmIdentifier = string | { name: string; [k: string]: unknown };
type KeyUsage = "sign" | "verify";

/** Block size in bits of each supported hash: the default HMAC key length. */
const HASHES: Record<string, number> = { "SHA-1": 512, "SHA-256": 512, "SHA-384": 1024, "SHA-512": 1024 };
const USAGES: KeyUsage[] = ["sign", "verify"];
/** Algorithms the Web registers for sign/verify: naming one with an HMAC key is an InvalidAccessError. */
const SIGNERS = ["HMAC", "RSASSA-PKCS1-V1_5", "RSA-PSS", "ECDSA", "ED25519", "ED448"];

function native(): Required<Pick<typeof kernel, "digest" | "hmac" | "timingSafeEqual">> {
  const { digest, hmac, timingSafeEqual } = kernel;
  if (!digest || !hmac || !timingSafeEqual)
    throw new DOMException("This engine has no native hashing (__capstan.digest)", "NotSupportedError");
  return { digest, hmac, timingSafeEqual };
}

/** Runs `f` and turns its result or exception into a promise (Web Crypto never throws). */
function settle<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e);
  }
}

function nameOf(alg: unknown, what: string): string {
  const name = typeof alg === "string" ? alg : (alg as { name?: unknown } | null)?.name;
  if (typeof alg === "object" && alg !== null && name === undefined)
    throw new TypeError(`${what}: algorithm.name is required`);
  return String(name).toUpperCase();
}

function hashName(alg: unknown): string {
  const name = nameOf(alg, "hash");
  if (!(name in HASHES)) throw new DOMException("Unrecognized algorithm name", "NotSupportedError");
  return name;
}

function hmacName(alg: unknown, what: string): "HMAC" {
  if (nameOf(alg, what) !== "HMAC")
    throw new DOMException("Unrecognized algorithm name", "NotSupportedError");
  return "HMAC";
}

function bufferSource(v: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(v) || Object.prototype.toString.call(v) === "[object ArrayBuffer]")
    return bytesOf(v as BufferSource);
  throw new TypeError(`${what} is not an ArrayBuffer, TypedArray or DataView`);
}

interface KeyRecord {
  raw: Uint8Array;
  extractable: boolean;
  hash: string;
  length: number;
  usages: KeyUsage[];
}

const records = new WeakMap<object, KeyRecord>();
let constructing = false;

/** A secret HMAC key; its bytes stay inside the prelude unless it is extractable. */
export class CryptoKey {
  constructor() {
    if (!constructing) throw new TypeError("Illegal constructor");
  }
  get type(): "secret" {
    return "secret";
  }
  get extractable(): boolean {
    return record(this).extractable;
  }
  get algorithm(): { name: "HMAC"; hash: { name: string }; length: number } {
    const r = record(this);
    return { name: "HMAC", hash: { name: r.hash }, length: r.length };
  }
  get usages(): KeyUsage[] {
    return [...record(this).usages];
  }
}
tag(CryptoKey, "CryptoKey");

function record(key: unknown): KeyRecord {
  const r = typeof key === "object" && key !== null ? records.get(key) : undefined;
  if (!r) throw new TypeError("key is not a CryptoKey");
  return r;
}

function makeKey(
  raw: Uint8Array,
  hash: string,
  length: number,
  extractable: boolean,
  usages: unknown,
): CryptoKey {
  const list = Array.from(usages as Iterable<unknown>, String);
  for (const u of list)
    if (!USAGES.includes(u as KeyUsage))
      throw new DOMException("Unsupported key usage for an HMAC key", "SyntaxError");
  if (list.length === 0)
    throw new DOMException("Usages cannot be empty when importing a secret key.", "SyntaxError");
  constructing = true;
  const key = new CryptoKey();
  constructing = false;
  records.set(key, {
    raw,
    extractable: !!extractable,
    hash,
    length,
    usages: [...new Set(list)] as KeyUsage[],
  });
  return key;
}

/** The key length in bits: `length` when given (at most 7 bits shorter than the bytes), else all. */
function keyLength(bytes: number, length: unknown): number {
  const bits = bytes * 8;
  if (bits === 0 || length === 0) throw new DOMException("Zero-length key is not supported", "DataError");
  if (length === undefined) return bits;
  const n = Number(length);
  if (n > bits || n <= bits - 8) throw new DOMException("Invalid key length", "DataError");
  return n;
}

/** The JSON Web Key members an HMAC key uses. */
export interface Jwk {
  kty?: string;
  k?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  ext?: boolean;
}

function jwkBytes(jwk: Jwk, hash: string, extractable: boolean): Uint8Array {
  const bad = (m: string) => new DOMException(m, "DataError");
  if (typeof jwk !== "object" || jwk === null) throw new TypeError("keyData is not a JsonWebKey");
  if (jwk.kty !== "oct") throw bad('Invalid JWK "kty" Parameter');
  if (typeof jwk.k !== "string") throw bad('Invalid JWK "k" Parameter');
  if (jwk.alg !== undefined && jwk.alg !== `HS${hash.slice(4)}`)
    throw bad('JWK "alg" does not match the requested algorithm');
  if (jwk.use !== undefined && jwk.use !== "sig") throw bad('Invalid JWK "use" Parameter');
  if (jwk.ext === false && extractable) throw bad('JWK "ext" Parameter and extractable mismatch');
  const raw = base64Decode(jwk.k.replace(/-/g, "+").replace(/_/g, "/"), true);
  if (!raw) throw bad('Invalid JWK "k" Parameter');
  return raw;
}

function usable(key: unknown, alg: unknown, usage: KeyUsage): KeyRecord {
  const name = nameOf(alg, usage);
  if (!SIGNERS.includes(name)) throw new DOMException("Unrecognized algorithm name", "NotSupportedError");
  const r = record(key);
  if (name !== "HMAC")
    throw new DOMException("key.algorithm does not match that of operation", "InvalidAccessError");
  if (!r.usages.includes(usage))
    throw new DOMException(`Unable to use this key to ${usage}`, "InvalidAccessError");
  return r;
}

/** `crypto.subtle`: SHA-1/256/384/512 digests and HMAC. Other algorithms reject with NotSupportedError. */
export const subtle = {
  digest(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> {
    return settle(() => native().digest(hashName(algorithm), bufferSource(data, "data")));
  },
  importKey(
    format: string,
    keyData: BufferSource | Jwk,
    algorithm: AlgorithmIdentifier & { hash?: AlgorithmIdentifier; length?: number },
    extractable: boolean,
    usages: KeyUsage[],
  ): Promise<CryptoKey> {
    return settle(() => {
      hmacName(algorithm, "importKey");
      const a = algorithm as { hash?: unknown; length?: unknown };
      if (a.hash === undefined) throw new TypeError("importKey: algorithm.hash is required for HMAC");
      const hash = hashName(a.hash);
      let raw: Uint8Array;
      if (format === "raw") raw = bufferSource(keyData, "keyData").slice();
      else if (format === "jwk") raw = jwkBytes(keyData as Jwk, hash, extractable);
      else throw new DOMException(`Unable to import HMAC key with format ${format}`, "NotSupportedError");
      return makeKey(raw, hash, keyLength(raw.length, a.length), extractable, usages);
    });
  },
  generateKey(
    algorithm: AlgorithmIdentifier & { hash?: AlgorithmIdentifier; length?: number },
    extractable: boolean,
    usages: KeyUsage[],
  ): Promise<CryptoKey> {
    return settle(() => {
      hmacName(algorithm, "generateKey");
      const a = algorithm as { hash?: unknown; length?: unknown };
      if (a.hash === undefined) throw new TypeError("generateKey: algorithm.hash is required for HMAC");
      const hash = hashName(a.hash);
      const length = a.length === undefined ? (HASHES[hash] as number) : Number(a.length);
      if (!(length > 0)) throw new DOMException("Invalid key length", "OperationError");
      const raw = new Uint8Array(kernel.randomBytes(Math.ceil(length / 8)));
      return makeKey(raw, hash, length, extractable, usages);
    });
  },
  exportKey(format: string, key: CryptoKey): Promise<ArrayBuffer | Jwk> {
    return settle(() => {
      const r = record(key);
      if (!r.extractable) throw new DOMException("key is not extractable", "InvalidAccessError");
      if (format === "raw") return r.raw.slice().buffer as ArrayBuffer;
      if (format === "jwk")
        return {
          key_ops: [...r.usages],
          ext: true,
          kty: "oct",
          k: base64Encode(r.raw, true),
          alg: `HS${r.hash.slice(4)}`,
        };
      throw new DOMException(`Unable to export HMAC key with format ${format}`, "NotSupportedError");
    });
  },
  sign(algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> {
    return settle(() => {
      const r = usable(key, algorithm, "sign");
      return native().hmac(r.hash, r.raw, bufferSource(data, "data"));
    });
  },
  verify(
    algorithm: AlgorithmIdentifier,
    key: CryptoKey,
    signature: BufferSource,
    data: BufferSource,
  ): Promise<boolean> {
    return settle(() => {
      const r = usable(key, algorithm, "verify");
      const n = native();
      return n.timingSafeEqual(
        n.hmac(r.hash, r.raw, bufferSource(data, "data")),
        bufferSource(signature, "signature"),
      );
    });
  },
};
