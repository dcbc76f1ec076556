// The shared shape of a plugin-type export: read the JSON input, run the author's handler
// (sync or async), write the JSON output. A throw or a rejected promise propagates to the
// engine, which sets the Extism error (`Name: message` + mapped stack) and returns non-zero.

/** What an export returns to the engine: 0, or a promise the engine drains and inspects. */
export type ExportResult = number | Promise<number>;

interface HostLike {
  inputString(): string;
  outputString(s: string): boolean;
}

function host(): HostLike {
  const h = (globalThis as { Host?: HostLike }).Host;
  if (!h)
    throw new Error("@capstan/pdk: the Host global is missing (is this running inside a Capstan plugin?)");
  return h;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

/** Parses the call input as JSON; the error names the plugin type when it is not JSON. */
export function readInput(kind: string): unknown {
  const text = host().inputString();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TypeError(`${kind} input is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Builds an export from input parsing, the handler and output shaping. */
export function makeExport<I, R, O>(
  kind: string,
  parse: (raw: unknown) => I,
  handler: (input: I) => R | Promise<R>,
  finish: (r: R) => O,
): () => ExportResult {
  if (typeof handler !== "function") throw new TypeError(`${kind}: the handler must be a function`);
  const write = (r: R): number => {
    host().outputString(JSON.stringify(finish(r)));
    return 0;
  };
  const main = function helm_plugin_main(): ExportResult {
    const r = handler(parse(readInput(kind)));
    return isThenable(r) ? Promise.resolve(r).then((v) => write(v as R)) : write(r as R);
  };
  registerDefault(main);
  return main;
}

/**
 * When the plugin does not export `helm_plugin_main` itself, the first helper becomes it: the
 * engine binds exports by name on the CommonJS `module.exports`, where the bundle's own exports
 * are already declared (as getters) before any plugin code runs.
 */
function registerDefault(fn: () => ExportResult): void {
  const m = (globalThis as { module?: { exports?: Record<string, unknown> } }).module;
  if (m?.exports && typeof m.exports === "object" && !("helm_plugin_main" in m.exports)) {
    m.exports.helm_plugin_main = fn;
  }
}

/** Normalizes Go's `null` for an empty list and rejects anything but strings. */
export function stringList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
    throw new TypeError(`input field "${field}" must be a list of strings`);
  return v;
}

/** True for a plain `{...}` object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
