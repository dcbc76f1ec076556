// A failure raised by a host import on the main thread (HTTP bridge) while the plugin runs.
// Throwing it unwinds the Wasm stack; the core's invoke recognizes it by its brand (the core
// has its own class, which also runs inside workers) and turns it into a RuntimeError.
import type { RuntimeErrorCode } from "../errors.js";

/** Thrown from host imports to abort the call with a specific RuntimeError code. */
export class HostTrap extends Error {
  /** Brand the core checks (see core.ts). */
  readonly capstanTrap = true;
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
