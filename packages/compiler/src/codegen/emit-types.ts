// Emits types.ts: one TypeScript type per named schema plus `decodeX(json, path)` (validates
// and converts parsed JSON, throwing a TypeError that names the JSON path) and `encodeX(value)`
// (back to JSON-ready values). Pure code: no PDK globals, so it also runs in Node.
// Wire mappings: date-time <-> Date (ISO string), buffer/byte <-> Uint8Array (base64 string),
// int64 <-> bigint (decimal string on output, string or safe integer accepted on input:
// the proto3 JSON mapping, since a JSON number loses precision past 2^53).
import { CodegenError } from "./errors.js";
import type { CodegenModel, NamedSchema, Property, TypeRef } from "./model.js";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `obj.key` when key is an identifier, else `obj["key"]`. */
export function access(obj: string, key: string): string {
  return IDENT.test(key) ? `${obj}.${key}` : `${obj}[${JSON.stringify(key)}]`;
}
/** A property key for an interface or object literal. */
export function propKey(key: string): string {
  return IDENT.test(key) ? key : JSON.stringify(key);
}
/** A JSDoc block for a description, or nothing. */
export function doc(description: string | undefined, indent = ""): string {
  if (!description) return "";
  const lines = description.trim().replace(/\*\//g, "*\\/").split("\n");
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

/** `f(args)`, parenthesizing f unless it is a plain name. */
export function call(f: string, args: string): string {
  return IDENT.test(f) ? `${f}(${args})` : `(${f})(${args})`;
}

/** The TypeScript type of a TypeRef. */
export function tsType(t: TypeRef): string {
  const base = ((): string => {
    switch (t.kind) {
      case "string":
        return "string";
      case "date-time":
        return "Date";
      case "number":
        return "number";
      case "integer":
        return t.format === "int64" ? "bigint" : "number";
      case "boolean":
        return "boolean";
      case "buffer":
        return "Uint8Array";
      case "array": {
        const inner = tsType(t.items);
        return /[|&]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
      }
      case "map":
        return `Record<string, ${tsType(t.values)}>`;
      case "ref":
        return t.name;
      case "literal":
        return JSON.stringify(t.value);
      case "union":
        return t.variants.map(tsType).join(" | ");
      case "any":
        return "unknown";
    }
  })();
  return t.nullable ? `${base} | null` : base;
}

// Runtime helpers, emitted only when used. Each decoder is (v: unknown, p: string) => T.
const HELPERS: Record<string, string> = {
  show: `function show(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "nothing (the key is missing)";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? \`\${v.slice(0, 40)}...\` : v);
  return typeof v === "object" ? "an object" : \`\${typeof v} \${String(v)}\`;
}`,
  fail: `function fail(p: string, expected: string, v: unknown): never {
  throw new TypeError(\`\${p}: expected \${expected}, got \${show(v)}\`);
}`,
  decString: `function decString(v: unknown, p: string): string {
  return typeof v === "string" ? v : fail(p, "a string", v);
}`,
  decNumber: `function decNumber(v: unknown, p: string): number {
  return typeof v === "number" ? v : fail(p, "a number", v);
}`,
  decInt32: `function decInt32(v: unknown, p: string): number {
  return typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : fail(p, "a 32-bit integer", v);
}`,
  decInteger: `function decInteger(v: unknown, p: string): number {
  return typeof v === "number" && Number.isSafeInteger(v) ? v : fail(p, "an integer", v);
}`,
  decInt64: `function decInt64(v: unknown, p: string): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?[0-9]{1,19}$/.test(v)) {
    const n = BigInt(v);
    if (n >= -9223372036854775808n && n <= 9223372036854775807n) return n;
  }
  return fail(p, "a 64-bit integer (a decimal string or a safe integer)", v);
}`,
  encInt64: `function encInt64(v: bigint): string {
  return v.toString();
}`,
  decBoolean: `function decBoolean(v: unknown, p: string): boolean {
  return typeof v === "boolean" ? v : fail(p, "a boolean", v);
}`,
  decDateTime: `function decDateTime(v: unknown, p: string): Date {
  const d = typeof v === "string" ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : fail(p, "an RFC 3339 date-time string", v);
}`,
  encDateTime: `function encDateTime(v: Date): string {
  return v.toISOString();
}`,
  b64: `const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";`,
  decBytes: `function decBytes(v: unknown, p: string): Uint8Array {
  if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 === 1) return fail(p, "a base64 string", v);
  const s = v.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    acc = (acc << 6) | B64.indexOf(s.charAt(i));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}`,
  encBytes: `function encBytes(v: Uint8Array): string {
  let s = "";
  for (let i = 0; i < v.length; i += 3) {
    const a = v[i] ?? 0;
    const b = v[i + 1] ?? 0;
    const c = v[i + 2] ?? 0;
    s += B64.charAt(a >> 2) + B64.charAt(((a & 3) << 4) | (b >> 4));
    s += i + 1 < v.length ? B64.charAt(((b & 15) << 2) | (c >> 6)) : "=";
    s += i + 2 < v.length ? B64.charAt(c & 63) : "=";
  }
  return s;
}`,
  decArray: `function decArray<T>(v: unknown, p: string, item: (v: unknown, p: string) => T): T[] {
  return Array.isArray(v) ? v.map((x, i) => item(x, \`\${p}[\${i}]\`)) : fail(p, "an array", v);
}`,
  decObject: `function decObject(v: unknown, p: string): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(p, "an object", v);
}`,
  decMap: `function decMap<T>(v: unknown, p: string, value: (v: unknown, p: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, x] of Object.entries(decObject(v, p))) out[k] = value(x, \`\${p}.\${k}\`);
  return out;
}`,
  encMap: `function encMap<T>(v: Record<string, T>, value: (v: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = value(x);
  return out;
}`,
  decAny: `function decAny(v: unknown, _p: string): unknown {
  return v;
}`,
  decLiteral: `function decLiteral<T extends string | number | boolean>(v: unknown, p: string, values: readonly T[]): T {
  return values.includes(v as T) ? (v as T) : fail(p, \`one of \${values.map((x) => JSON.stringify(x)).join(", ")}\`, v);
}`,
  decUnion: `function decUnion<T>(v: unknown, p: string, variants: ((v: unknown, p: string) => T)[], expected: string): T {
  for (const d of variants) {
    try {
      return d(v, p);
    } catch {
      // try the next variant
    }
  }
  return fail(p, expected, v);
}`,
};
const HELPER_DEPS: Record<string, string[]> = {
  fail: ["show"],
  decBytes: ["b64", "fail"],
  encBytes: ["b64"],
  decMap: ["decObject"],
};

/** Emits types.ts for a model (types, decoders, encoders). */
export function emitTypes(model: CodegenModel, header: string): string {
  return new TypesEmitter(model).emit(header);
}

class TypesEmitter {
  private readonly used = new Set<string>();
  private readonly byName: Map<string, NamedSchema>;
  constructor(private readonly model: CodegenModel) {
    this.byName = new Map(model.schemas.map((s) => [s.name, s]));
  }

  private use(name: string): string {
    const visit = (n: string): void => {
      if (this.used.has(n)) return;
      this.used.add(n);
      for (const d of HELPER_DEPS[n] ?? []) visit(d);
      if (n.startsWith("dec")) visit("fail");
    };
    visit(name);
    return name;
  }

  /** Expression of a decoder function `(v: unknown, p: string) => T`. */
  decoder(t: TypeRef): string {
    if (t.nullable) {
      const inner = this.decoder({ ...t, nullable: false });
      return `(v: unknown, p: string) => (v === null ? null : ${call(inner, "v, p")})`;
    }
    switch (t.kind) {
      case "string":
        return this.use("decString");
      case "date-time":
        return this.use("decDateTime");
      case "number":
        return this.use("decNumber");
      case "integer":
        return this.use(t.format === "int64" ? "decInt64" : t.format === "int32" ? "decInt32" : "decInteger");
      case "boolean":
        return this.use("decBoolean");
      case "buffer":
        return this.use("decBytes");
      case "array":
        return `(v: unknown, p: string) => ${this.use("decArray")}(v, p, ${this.decoder(t.items)})`;
      case "map":
        return `(v: unknown, p: string) => ${this.use("decMap")}(v, p, ${this.decoder(t.values)})`;
      case "ref":
        return `decode${t.name}`;
      case "literal":
        return `(v: unknown, p: string) => ${this.use("decLiteral")}(v, p, [${JSON.stringify(t.value)}] as const)`;
      case "any":
        return this.use("decAny");
      case "union": {
        if (t.variants.every((v) => v.kind === "literal" && !v.nullable)) {
          const values = t.variants
            .map((v) => JSON.stringify(v.kind === "literal" ? v.value : null))
            .join(", ");
          return `(v: unknown, p: string) => ${this.use("decLiteral")}(v, p, [${values}] as const)`;
        }
        const ds = t.variants.map((v) => this.decoder(v)).join(", ");
        const expected = JSON.stringify(t.variants.map(tsType).join(" or "));
        return `(v: unknown, p: string) => ${this.use("decUnion")}<${tsType(t)}>(v, p, [${ds}], ${expected})`;
      }
    }
  }

  /** True when a value of this type must be converted on its way to JSON. */
  needsEncoding(t: TypeRef, seen = new Set<string>()): boolean {
    switch (t.kind) {
      case "date-time":
      case "buffer":
        return true;
      case "integer":
        return t.format === "int64";
      case "array":
        return this.needsEncoding(t.items, seen);
      case "map":
        return this.needsEncoding(t.values, seen);
      case "union":
        return t.variants.some((v) => this.needsEncoding(v, seen));
      case "ref": {
        // Objects are always rebuilt by encodeX (drops undefined and unknown keys).
        const s = this.byName.get(t.name);
        if (!s || s.kind === "object") return true;
        if (s.kind === "enum" || seen.has(t.name)) return false;
        seen.add(t.name);
        return this.needsEncoding(s.type, seen);
      }
      default:
        return false;
    }
  }

  /** Expression that encodes `value` (of type t) to a JSON-ready value. */
  encode(t: TypeRef, value: string, depth = 0): string {
    if (!this.needsEncoding(t)) return value;
    const x = `x${depth}`;
    if (t.nullable)
      return `(${value} === null ? null : ${this.encode({ ...t, nullable: false }, value, depth)})`;
    switch (t.kind) {
      case "date-time":
        return `${this.use("encDateTime")}(${value})`;
      case "buffer":
        return `${this.use("encBytes")}(${value})`;
      case "integer":
        return `${this.use("encInt64")}(${value})`;
      case "array":
        return `${value}.map((${x}) => ${this.encode(t.items, x, depth + 1)})`;
      case "map":
        return `${this.use("encMap")}(${value}, (${x}) => ${this.encode(t.values, x, depth + 1)})`;
      case "ref":
        return `encode${t.name}(${value})`;
      case "union":
        throw new CodegenError(
          `a union of ${tsType(t)} needs conversion on output; codegen supports unions of JSON-native types only`,
        );
      default:
        return value;
    }
  }

  emit(header: string): string {
    const parts = this.model.schemas.map((s) => this.schema(s));
    const helpers = Object.keys(HELPERS)
      .filter((h) => this.used.has(h))
      .map((h) => HELPERS[h])
      .join("\n\n");
    const body = parts.join("\n\n");
    return `${header}\n/* eslint-disable */\n// biome-ignore-all lint: generated code\n\n${body}${helpers ? `\n\n// Runtime helpers.\n\n${helpers}` : ""}\n`;
  }

  private schema(s: NamedSchema): string {
    switch (s.kind) {
      case "enum": {
        const values = s.values.map((v) => JSON.stringify(v)).join(", ");
        return (
          `${doc(s.description)}export type ${s.name} = ${s.values.map((v) => JSON.stringify(v)).join(" | ")};\n` +
          `/** Every value of ${s.name}, in schema order. */\nexport const ${s.name}Values = [${values}] as const;\n` +
          `/** Decodes ${s.name} from parsed JSON. */\nexport function decode${s.name}(json: unknown, path = "${s.name}"): ${s.name} {\n  return ${this.use("decLiteral")}(json, path, ${s.name}Values);\n}\n` +
          `/** Encodes ${s.name} for JSON. */\nexport function encode${s.name}(value: ${s.name}): unknown {\n  return value;\n}`
        );
      }
      case "alias":
        return (
          `${doc(s.description)}export type ${s.name} = ${tsType(s.type)};\n` +
          `/** Decodes ${s.name} from parsed JSON. */\nexport function decode${s.name}(json: unknown, path = "${s.name}"): ${s.name} {\n  return ${call(this.decoder(s.type), "json, path")};\n}\n` +
          `/** Encodes ${s.name} for JSON. */\nexport function encode${s.name}(value: ${s.name}): unknown {\n  return ${this.encode(s.type, "value")};\n}`
        );
      case "object":
        return this.object(s);
    }
  }

  private object(s: NamedSchema & { kind: "object" }): string {
    const fields = s.properties.map(
      (p) => `${doc(p.description, "  ")}  ${propKey(p.name)}${p.required ? "" : "?"}: ${tsType(p.type)};`,
    );
    if (s.additional) {
      const all = new Set([tsType(s.additional), ...s.properties.map((p) => tsType(p.type))]);
      if (s.properties.some((p) => !p.required)) all.add("undefined");
      fields.push(`  [key: string]: ${s.additional.kind === "any" ? "unknown" : [...all].join(" | ")};`);
    }
    const iface = `${doc(s.description)}export interface ${s.name} {\n${fields.join("\n")}\n}`;

    const o = s.properties.length > 0 || s.additional ? "o" : "_o";
    const dec: string[] = [`  const ${o} = ${this.use("decObject")}(json, path);`];
    const req = s.properties.filter((p) => p.required);
    dec.push(
      `  const out: ${s.name} = {${req.length ? "\n" : ""}${req.map((p) => `    ${propKey(p.name)}: ${this.decodeProp(p)},\n`).join("")}${req.length ? "  " : ""}};`,
    );
    for (const p of s.properties.filter((q) => !q.required)) {
      const v = access("o", p.name);
      // Go encoders write null for empty optional fields; treat it as absent.
      const absent = p.type.nullable ? `${v} !== undefined` : `${v} !== undefined && ${v} !== null`;
      dec.push(`  if (${absent}) ${access("out", p.name)} = ${this.decodeProp(p)};`);
    }
    if (s.additional) {
      const known = JSON.stringify(s.properties.map((p) => p.name));
      dec.push(
        `  for (const [k, v] of Object.entries(o)) {\n    if (!${known}.includes(k)) out[k] = ${call(this.decoder(s.additional), `v, \`\${path}.\${k}\``)};\n  }`,
      );
    }
    dec.push("  return out;");
    const decFn = `/** Decodes ${s.name} from parsed JSON; throws a TypeError naming the path of a bad value. */\nexport function decode${s.name}(json: unknown, path = "${s.name}"): ${s.name} {\n${dec.join("\n")}\n}`;

    const enc: string[] = ["  const out: Record<string, unknown> = {};"];
    for (const p of s.properties) {
      const v = access("value", p.name);
      const line = `out[${JSON.stringify(p.name)}] = ${this.encode(p.type, v)};`;
      enc.push(p.required ? `  ${line}` : `  if (${v} !== undefined) ${line}`);
    }
    if (s.additional) {
      const known = JSON.stringify(s.properties.map((p) => p.name));
      const conv = this.encode(s.additional, `v as ${tsType(s.additional)}`);
      enc.push(
        `  for (const [k, v] of Object.entries(value)) {\n    if (!${known}.includes(k) && v !== undefined) out[k] = ${conv};\n  }`,
      );
    }
    enc.push("  return out;");
    const encFn = `/** Encodes ${s.name} to a JSON-ready object. */\nexport function encode${s.name}(value: ${s.name}): Record<string, unknown> {\n${enc.join("\n")}\n}`;
    return `${iface}\n${decFn}\n${encFn}`;
  }

  private decodeProp(p: Property): string {
    const pathExpr = `\`\${path}${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p.name) ? `.${p.name}` : `[${JSON.stringify(p.name).replace(/`/g, "\\`")}]`}\``;
    return call(this.decoder(p.type), `${access("o", p.name)}, ${pathExpr}`);
  }
}
