// structuredClone: the HTML structured clone algorithm for the value kinds a plugin meets
// (primitives, plain objects, arrays, Date, RegExp, Map, Set, ArrayBuffer, typed arrays,
// DataView, Error types, boxed primitives), preserving shared references and cycles.
import { defineGlobal } from "./define.js";
import { DOMException } from "./dom-exception.js";

type Any = Record<string | symbol, unknown>;

function cannot(v: unknown): never {
  const what = typeof v === "function" ? `${(v as { name?: string }).name || "anonymous"}() {}` : String(v);
  throw new DOMException(`${what} could not be cloned.`, "DataCloneError");
}

const ERRORS: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

function clone(v: unknown, seen: Map<unknown, unknown>): unknown {
  if (typeof v === "function" || typeof v === "symbol") cannot(v);
  if (v === null || typeof v !== "object") return v;
  const hit = seen.get(v);
  if (hit !== undefined) return hit;
  const tagName = Object.prototype.toString.call(v).slice(8, -1);
  const o = v as Any;
  let out: unknown;
  switch (tagName) {
    case "Boolean":
    case "Number":
    case "String":
    case "BigInt":
      out = Object((v as { valueOf(): unknown }).valueOf());
      break;
    case "Date":
      out = new Date((v as Date).getTime());
      break;
    case "RegExp": {
      const re = v as RegExp;
      out = new RegExp(re.source, re.flags);
      break;
    }
    case "ArrayBuffer":
      out = (v as ArrayBuffer).slice(0);
      break;
    case "DataView": {
      const dv = v as DataView;
      const buf = clone(dv.buffer, seen) as ArrayBuffer;
      out = new DataView(buf, dv.byteOffset, dv.byteLength);
      break;
    }
    case "Map": {
      const m = new Map();
      seen.set(v, m);
      for (const [k, val] of v as Map<unknown, unknown>) m.set(clone(k, seen), clone(val, seen));
      return m;
    }
    case "Set": {
      const s = new Set();
      seen.set(v, s);
      for (const val of v as Set<unknown>) s.add(clone(val, seen));
      return s;
    }
    case "Error": {
      const e = v as Error;
      const C = ERRORS[e.name] ?? Error;
      const copy = Object.create(C.prototype) as Error & Any;
      seen.set(v, copy);
      Object.defineProperty(copy, "message", {
        value: String(e.message),
        writable: true,
        configurable: true,
      });
      if (e.stack !== undefined)
        Object.defineProperty(copy, "stack", { value: String(e.stack), writable: true, configurable: true });
      if ("cause" in e)
        Object.defineProperty(copy, "cause", {
          value: clone((e as unknown as Any).cause, seen),
          writable: true,
          configurable: true,
        });
      return copy;
    }
    case "Array": {
      const arr = new Array((v as unknown[]).length);
      seen.set(v, arr);
      for (const k of Object.keys(o)) (arr as unknown as Any)[k] = clone(o[k], seen);
      return arr;
    }
    case "Object": {
      const obj: Any = {};
      seen.set(v, obj);
      for (const k of Object.keys(o)) obj[k] = clone(o[k], seen);
      return obj;
    }
    default:
      if (ArrayBuffer.isView(v)) {
        const ta = v as unknown as {
          buffer: ArrayBuffer;
          byteOffset: number;
          length: number;
          constructor: new (b: ArrayBuffer, o: number, l: number) => unknown;
        };
        const buf = clone(ta.buffer, seen) as ArrayBuffer;
        out = new ta.constructor(buf, ta.byteOffset, ta.length);
        break;
      }
      if (tagName === "Promise" || tagName === "WeakMap" || tagName === "WeakSet" || tagName === "Symbol")
        cannot(v);
      {
        // class instances clone as plain objects of their own enumerable properties
        const obj: Any = {};
        seen.set(v, obj);
        for (const k of Object.keys(o)) obj[k] = clone(o[k], seen);
        return obj;
      }
  }
  seen.set(v, out);
  return out;
}

/** Deep-copies a value with the structured clone algorithm (`transfer` is accepted and ignored). */
export function structuredClone<T>(...args: [value?: T, options?: { transfer?: unknown[] }]): T {
  const value = args[0];
  if (args.length === 0) throw new TypeError('The "value" argument must be specified');
  return clone(value, new Map()) as T;
}

defineGlobal("structuredClone", structuredClone);
