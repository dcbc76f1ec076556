// Memory and MemoryHandle: blocks in the host-managed Extism memory (js-pdk names, including
// its `readUFloat64` spelling), used to pass data to and from host functions.
import { defineGlobal } from "./define.js";
import { kernel } from "./kernel.js";
import { bytesOf, utf8Decode } from "./utf8.js";

function num(v: number | bigint): number {
  return typeof v === "bigint" ? Number(v) : v;
}

/** A block of Extism memory: `offset` and `len` in bytes. */
export class MemoryHandle {
  offset: number;
  len: number;
  constructor(offset: number | bigint, len: number | bigint) {
    this.offset = num(offset);
    this.len = num(len);
  }
  /** The block's bytes as a new ArrayBuffer. */
  readBytes(): ArrayBuffer {
    return kernel.read(this.offset) ?? new ArrayBuffer(0);
  }
  /** The block decoded as UTF-8. */
  readString(): string {
    return kernel.readString ? (kernel.readString(this.offset) ?? "") : utf8Decode(this.readBytes());
  }
  /** The block parsed as JSON. */
  readJsonObject<T = unknown>(): T {
    return JSON.parse(this.readString()) as T;
  }
  /** The first 4 bytes as a little-endian unsigned 32-bit integer. */
  readUInt32(): number {
    return new DataView(this.readBytes()).getUint32(0, true);
  }
  /** The first 8 bytes as a little-endian unsigned 64-bit integer. */
  readUInt64(): bigint {
    return new DataView(this.readBytes()).getBigUint64(0, true);
  }
  /** The first 4 bytes as a little-endian float32. */
  readFloat32(): number {
    return new DataView(this.readBytes()).getFloat32(0, true);
  }
  /** The first 8 bytes as a little-endian float64 (js-pdk's name). */
  readUFloat64(): number {
    return new DataView(this.readBytes()).getFloat64(0, true);
  }
  /** Alias of readUFloat64 with the expected spelling. */
  readFloat64(): number {
    return this.readUFloat64();
  }
  /** Frees the block; the handle must not be used afterwards. */
  free(): void {
    kernel.free(this.offset);
  }
}

function fromBytes(u8: Uint8Array): MemoryHandle {
  return new MemoryHandle(kernel.alloc(u8), u8.byteLength);
}

function fromText(s: string): MemoryHandle {
  // the kernel encodes strings as UTF-8 (lone surrogates as U+FFFD) in C
  const offset = kernel.alloc(s);
  return new MemoryHandle(offset, kernel.length(offset));
}

function scalar(size: number, write: (d: DataView) => void): MemoryHandle {
  const buf = new ArrayBuffer(size);
  write(new DataView(buf));
  return fromBytes(new Uint8Array(buf));
}

/** The `Memory` global. */
export const Memory = {
  /** Copies a string (UTF-8) into a new block. */
  fromString(str: string): MemoryHandle {
    return fromText(String(str));
  },
  /** Copies bytes into a new block. */
  fromBuffer(bytes: ArrayBuffer | ArrayBufferView): MemoryHandle {
    return fromBytes(bytesOf(bytes));
  },
  /** Serializes a value as JSON into a new block. */
  fromJsonObject(obj: unknown): MemoryHandle {
    return Memory.fromString(JSON.stringify(obj));
  },
  /** A 4-byte block holding `i` as a little-endian uint32. */
  allocUInt32(i: number): MemoryHandle {
    return scalar(4, (d) => d.setUint32(0, i, true));
  },
  /** An 8-byte block holding `i` as a little-endian uint64. */
  allocUInt64(i: bigint | number): MemoryHandle {
    return scalar(8, (d) => d.setBigUint64(0, BigInt(i), true));
  },
  /** A 4-byte block holding `i` as a float32. */
  allocFloat32(i: number): MemoryHandle {
    return scalar(4, (d) => d.setFloat32(0, i, true));
  },
  /** An 8-byte block holding `i` as a float64. */
  allocFloat64(i: number): MemoryHandle {
    return scalar(8, (d) => d.setFloat64(0, i, true));
  },
  /** The handle of an existing block at `offset` (for example a host function's result). */
  find(offset: number | bigint): MemoryHandle {
    return new MemoryHandle(offset, kernel.length(offset));
  },
};

defineGlobal("Memory", Memory);
defineGlobal("MemoryHandle", MemoryHandle);
