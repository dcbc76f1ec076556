// A failure raised by a host import while the plugin runs. Throwing it unwinds the Wasm stack
// (the instance is discarded anyway); the runtime turns it into a RuntimeError with this code.
import type { RuntimeErrorCode } from "./runtime-error.js";

/** Thrown from host imports to abort the call with a specific RuntimeError code. */
export class HostTrap extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Recognizes a HostTrap across realms. */
export function isHostTrap(e: unknown): e is HostTrap {
  return e instanceof Error && typeof (e as HostTrap).code === "string" && e.constructor.name === "HostTrap";
}
