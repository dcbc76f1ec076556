// A small Node-style `util.inspect`/`util.format` used by console (output shape mirrors Node's
// for common values so logs read the same as in `node`).

function quote(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

function key(k: string | symbol): string {
  if (typeof k === "symbol") return `[${String(k)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function ctorName(o: object): string {
  const p = Object.getPrototypeOf(o);
  if (p === null) return "[Object: null prototype]";
  const c = p.constructor;
  return c && typeof c.name === "string" ? c.name : "Object";
}

function wrap(prefix: string, items: string[], open: string, close: string, indent: number): string {
  if (items.length === 0) return `${prefix}${open}${close}`;
  const flat = `${prefix}${open} ${items.join(", ")} ${close}`;
  if (flat.length <= 72 && !flat.includes("\n")) return flat;
  const pad = "  ".repeat(indent + 1);
  return `${prefix}${open}\n${pad}${items.join(`,\n${pad}`)}\n${"  ".repeat(indent)}${close}`;
}

/** Renders a value like Node's util.inspect (depth 2, circular references marked). */
export function inspect(v: unknown, depth = 2, seen: unknown[] = [], indent = 0): string {
  switch (typeof v) {
    case "string":
      return quote(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return String(v);
    case "undefined":
      return "undefined";
    case "function": {
      const fn = v as { name?: string };
      const isClass = /^class[\s{]/.test(Function.prototype.toString.call(v));
      return `[${isClass ? "class" : "Function"}${fn.name ? `${isClass ? " " : ": "}${fn.name}` : isClass ? "" : " (anonymous)"}]`;
    }
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "boolean":
      return String(v);
  }
  if (v === null) return "null";
  const o = v as Record<string | symbol, unknown>;
  if (seen.includes(o)) return "[Circular *1]";
  if (o instanceof Date) return Number.isNaN(o.getTime()) ? "Invalid Date" : o.toISOString();
  if (o instanceof RegExp) return String(o);
  if (o instanceof Error)
    return o.stack?.includes(o.message) ? o.stack : `${o.name}: ${o.message}${o.stack ? `\n${o.stack}` : ""}`;
  if (typeof (o as { then?: unknown }).then === "function" && o instanceof Promise)
    return "Promise { <pending> }";
  const name = ctorName(o);
  if (depth < 0) return Array.isArray(o) ? "[Array]" : `[${name}]`;
  seen.push(o);
  try {
    const next = (x: unknown) => inspect(x, depth - 1, seen, indent + 1);
    if (Array.isArray(o)) {
      const items = o.slice(0, 100).map(next);
      if (o.length > 100) items.push(`... ${o.length - 100} more items`);
      return wrap(name === "Array" ? "" : `${name}(${o.length}) `, items, "[", "]", indent);
    }
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const arr = o as unknown as ArrayLike<number | bigint>;
      const items = Array.prototype.slice
        .call(arr, 0, 100)
        .map((x) => (typeof x === "bigint" ? `${x}n` : String(x)));
      if (arr.length > 100) items.push(`... ${arr.length - 100} more items`);
      return wrap(`${name}(${arr.length}) `, items, "[", "]", indent);
    }
    if (o instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${o.byteLength} }`;
    if (o instanceof Map) {
      const items: string[] = [];
      for (const [k, val] of o) items.push(`${next(k)} => ${next(val)}`);
      return wrap(`Map(${o.size}) `, items, "{", "}", indent);
    }
    if (o instanceof Set) {
      const items: string[] = [];
      for (const val of o) items.push(next(val));
      return wrap(`Set(${o.size}) `, items, "{", "}", indent);
    }
    const items = Object.keys(o).map((k) => `${key(k)}: ${next(o[k])}`);
    for (const s of Object.getOwnPropertySymbols(o)) {
      if (Object.prototype.propertyIsEnumerable.call(o, s)) items.push(`${key(s)}: ${next(o[s])}`);
    }
    return wrap(name === "Object" ? "" : `${name} `, items, "{", "}", indent);
  } finally {
    seen.pop();
  }
}

/** Formats console arguments like Node's util.format (%s %d %i %f %j %o %O %c %%). */
export function format(args: unknown[]): string {
  let rest = args;
  let head = "";
  const first = args[0];
  if (typeof first === "string" && first.includes("%") && args.length > 1) {
    let i = 1;
    head = first.replace(/%[sdifjoOc%]/g, (m) => {
      if (m === "%%") return "%";
      if (i >= args.length) return m;
      const a = args[i++];
      switch (m) {
        case "%s":
          return typeof a === "string"
            ? a
            : typeof a === "object" && a !== null
              ? inspect(a, 1)
              : typeof a === "bigint"
                ? `${a}n`
                : String(a);
        case "%d":
          return typeof a === "bigint" ? `${a}n` : typeof a === "object" ? "NaN" : String(Number(a));
        case "%i":
          return typeof a === "bigint" ? `${a}n` : String(Number.parseInt(String(a), 10));
        case "%f":
          return String(Number.parseFloat(String(a)));
        case "%j":
          try {
            return JSON.stringify(a);
          } catch {
            return "[Circular]";
          }
        case "%c":
          return "";
        default:
          return inspect(a, 4);
      }
    });
    rest = args.slice(i);
    return [head, ...rest.map((a) => (typeof a === "string" ? a : inspect(a)))].join(" ");
  }
  return rest.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ");
}
