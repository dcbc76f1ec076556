// Installs globals the way Web/Node runtimes do: writable, configurable, not enumerable.

/** Defines `globalThis[name] = value` as a non-enumerable, writable property. */
export function defineGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

/** Sets `Symbol.toStringTag` on a class prototype (so Object.prototype.toString matches the Web). */
export function tag(ctor: { prototype: object }, name: string): void {
  Object.defineProperty(ctor.prototype, Symbol.toStringTag, { value: name, configurable: true });
}
