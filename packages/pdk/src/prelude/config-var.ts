// Config (read-only host configuration) and Var (per-plugin variables kept by the host).
import { defineGlobal } from "./define.js";
import { kernel } from "./kernel.js";
import { bytesOf, utf8Decode } from "./utf8.js";

/** The `Config` global. */
export const Config = {
  /** The configuration value for `key`, or null when unset. */
  get(key: string): string | null {
    const v = kernel.configGet(String(key));
    if (v === null || v === undefined) return null;
    return typeof v === "string" ? v : utf8Decode(v);
  },
};

/** The `Var` global. */
export const Var = {
  /** Stores a string (UTF-8) or bytes under `name`; the value outlives this call. */
  set(name: string, value: string | ArrayBuffer | ArrayBufferView): void {
    if (value === null || value === undefined) {
      kernel.varSet(String(name), null);
      return;
    }
    kernel.varSet(String(name), typeof value === "string" ? value : bytesOf(value));
  },
  /** The bytes stored under `name`, or null. */
  getBytes(name: string): ArrayBuffer | null {
    return kernel.varGet(String(name)) ?? null;
  },
  /** The value stored under `name` decoded as UTF-8, or null. */
  getString(name: string): string | null {
    const b = kernel.varGet(String(name));
    return b === null || b === undefined ? null : utf8Decode(b);
  },
};

defineGlobal("Config", Config);
defineGlobal("Var", Var);
