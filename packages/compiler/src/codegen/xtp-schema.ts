// Reads an XTP-style plugin schema (YAML, `version: v1-draft`) into the codegen model.
// Accepted: exports/imports as a map (v1) or a list of {name, ...} (v0); components.schemas;
// types string, number, integer, boolean, object, array, buffer; enum; required (a list on
// the object; without one every property is optional); nullable; $ref to
// #/components/schemas/X; formats date-time, byte (string -> bytes), int32, int64, float,
// double. Unlike XTP's TypeScript bindgen, int64 is supported (bigint, see docs/decisions.md).
import { parseDocument } from "yaml";
import { CodegenError } from "./errors.js";
import type {
  CodegenModel,
  ContentType,
  FunctionDef,
  NamedSchema,
  Param,
  Property,
  TypeRef,
} from "./model.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const CONTENT_TYPES: ContentType[] = [
  "application/json",
  "text/plain; charset=utf-8",
  "application/x-binary",
];

/** Parses XTP schema YAML text; `file` is only used in error messages. */
export function parseXtpSchema(text: string, file = "schema.yaml"): CodegenModel {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new CodegenError(`${file}: ${doc.errors[0]?.message ?? "invalid YAML"}`);
  const root: unknown = doc.toJS();
  if (!isObj(root)) throw new CodegenError(`${file}: the schema must be a YAML mapping`);
  return new XtpReader(file).read(root);
}

class XtpReader {
  private readonly schemas: NamedSchema[] = [];
  private readonly declared = new Set<string>();
  constructor(private readonly file: string) {}

  private fail(path: string, what: string): never {
    throw new CodegenError(`${this.file}: ${path}: ${what}`);
  }

  read(root: Obj): CodegenModel {
    for (const key of Object.keys(root)) {
      if (!["version", "exports", "imports", "components"].includes(key))
        this.fail(key, "unknown top-level key");
    }
    if (root.version !== undefined && root.version !== "v1-draft" && root.version !== "v0") {
      this.fail("version", `unsupported version ${JSON.stringify(root.version)} (expected v1-draft)`);
    }
    const components = root.components === undefined ? {} : root.components;
    if (!isObj(components)) this.fail("components", "must be a mapping");
    const schemas = components.schemas ?? {};
    if (!isObj(schemas)) this.fail("components.schemas", "must be a mapping");
    for (const name of Object.keys(schemas)) {
      if (!IDENT.test(name)) this.fail(`components.schemas.${name}`, "schema names must be identifiers");
      this.declared.add(name);
    }
    for (const [name, s] of Object.entries(schemas)) this.named(name, s, `components.schemas.${name}`);
    const exports = this.functions(root.exports, "exports");
    const imports = this.functions(root.imports, "imports");
    return { exports, imports, schemas: this.schemas };
  }

  private functions(v: unknown, path: string): FunctionDef[] {
    if (v === undefined) return [];
    const entries: [string, unknown][] = Array.isArray(v)
      ? v.map((f, i) => [
          isObj(f) && typeof f.name === "string" ? f.name : this.fail(`${path}[${i}]`, "needs a name"),
          f,
        ])
      : isObj(v)
        ? Object.entries(v)
        : this.fail(path, "must be a mapping of function names");
    const seen = new Set<string>();
    return entries.map(([name, f]) => {
      const p = `${path}.${name}`;
      if (!IDENT.test(name)) this.fail(p, "function names must be identifiers");
      if (seen.has(name)) this.fail(p, "declared twice");
      seen.add(name);
      if (f === null || f === undefined) return { name };
      if (!isObj(f)) this.fail(p, "must be a mapping");
      const desc = this.str(f.description, `${p}.description`);
      return {
        name,
        description: desc,
        input: f.input === undefined ? undefined : this.param(f.input, `${p}.input`),
        output: f.output === undefined ? undefined : this.param(f.output, `${p}.output`),
      };
    });
  }

  private param(v: unknown, path: string): Param {
    if (!isObj(v)) this.fail(path, "must be a mapping");
    const type = this.type(v, path, undefined);
    const ct = v.contentType ?? (type.kind === "buffer" ? "application/x-binary" : "application/json");
    if (!CONTENT_TYPES.includes(ct as ContentType)) {
      this.fail(`${path}.contentType`, `must be one of ${CONTENT_TYPES.join(", ")}`);
    }
    const contentType = ct as ContentType;
    if (contentType === "text/plain; charset=utf-8" && type.kind !== "string") {
      this.fail(path, "text/plain content needs type: string");
    }
    if (contentType === "application/x-binary" && type.kind !== "buffer") {
      this.fail(path, "application/x-binary content needs type: buffer");
    }
    return { type, contentType, description: this.str(v.description, `${path}.description`) };
  }

  private str(v: unknown, path: string): string | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "string") this.fail(path, "must be a string");
    return v;
  }

  private named(name: string, s: unknown, path: string): void {
    if (!isObj(s)) this.fail(path, "must be a mapping");
    const description = this.str(s.description, `${path}.description`);
    if (s.enum !== undefined) {
      if (!Array.isArray(s.enum) || s.enum.length === 0 || !s.enum.every((e) => typeof e === "string")) {
        this.fail(`${path}.enum`, "must be a non-empty list of strings");
      }
      this.schemas.push({ kind: "enum", name, description, values: s.enum as string[] });
      return;
    }
    if (s.properties !== undefined || (s.type === "object" && s.additionalProperties === undefined)) {
      this.object(name, s, path);
      return;
    }
    this.schemas.push({ kind: "alias", name, description, type: this.type(s, path, name) });
  }

  private object(name: string, s: Obj, path: string): void {
    const props = s.properties ?? {};
    if (!isObj(props)) this.fail(`${path}.properties`, "must be a mapping");
    let required: Set<string> | undefined;
    if (s.required !== undefined) {
      if (!Array.isArray(s.required) || !s.required.every((r) => typeof r === "string")) {
        this.fail(`${path}.required`, "must be a list of property names");
      }
      required = new Set(s.required as string[]);
      for (const r of required)
        if (!(r in props)) this.fail(`${path}.required`, `names unknown property ${r}`);
    }
    // Reserve the name before reading properties so nested inline objects sort after it.
    const schema: NamedSchema = {
      kind: "object",
      name,
      description: this.str(s.description, `${path}.description`),
      properties: [],
    };
    this.schemas.push(schema);
    schema.properties = Object.entries(props).map(([pname, ps]): Property => {
      const pp = `${path}.properties.${pname}`;
      if (!isObj(ps)) this.fail(pp, "must be a mapping");
      return {
        name: pname,
        type: this.type(ps, pp, name + pascal(pname)),
        // v0 schemas mark optional properties with `required: false` on the property.
        required: required ? required.has(pname) : ps.required === true,
        description: this.str(ps.description, `${pp}.description`),
      };
    });
    if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
      schema.additional = isObj(s.additionalProperties)
        ? this.type(s.additionalProperties, `${path}.additionalProperties`, `${name}Value`)
        : { kind: "any" };
    }
  }

  /** Reads a type; `inlineName` names an inline object schema when one appears here. */
  private type(s: Obj, path: string, inlineName: string | undefined): TypeRef {
    const nullable = s.nullable === true ? { nullable: true } : {};
    if (typeof s.$ref === "string") {
      const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
      if (!m?.[1] || !this.declared.has(m[1])) this.fail(`${path}.$ref`, `unknown schema ${s.$ref}`);
      return { kind: "ref", name: m[1], ...nullable };
    }
    if (s.enum !== undefined) {
      if (!Array.isArray(s.enum) || !s.enum.every((e) => typeof e === "string"))
        this.fail(`${path}.enum`, "must list strings");
      return {
        kind: "union",
        variants: (s.enum as string[]).map((value) => ({ kind: "literal", value })),
        ...nullable,
      };
    }
    const format = s.format;
    switch (s.type) {
      case "string":
        if (format === "date-time") return { kind: "date-time", ...nullable };
        if (format === "byte") return { kind: "buffer", ...nullable };
        if (format !== undefined && !["date", "uri", "email", "uuid"].includes(format as string)) {
          this.fail(`${path}.format`, `unknown string format ${String(format)}`);
        }
        return { kind: "string", format: format as "date" | undefined, ...nullable };
      case "number":
        if (format !== undefined && format !== "float" && format !== "double")
          this.fail(`${path}.format`, "must be float or double");
        return { kind: "number", format: format as "float" | undefined, ...nullable };
      case "integer":
        if (format !== undefined && format !== "int32" && format !== "int64")
          this.fail(`${path}.format`, "must be int32 or int64");
        return { kind: "integer", format: (format as "int64" | undefined) ?? "int32", ...nullable };
      case "boolean":
        return { kind: "boolean", ...nullable };
      case "buffer":
        return { kind: "buffer", ...nullable };
      case "array":
        if (!isObj(s.items)) this.fail(`${path}.items`, "arrays need an items schema");
        return {
          kind: "array",
          items: this.type(s.items, `${path}.items`, inlineName && `${inlineName}Item`),
          ...nullable,
        };
      case "object":
        if (s.properties !== undefined) {
          if (!inlineName)
            this.fail(path, "inline objects are not allowed here: move it to components.schemas");
          this.object(inlineName, s, path);
          return { kind: "ref", name: inlineName, ...nullable };
        }
        if (isObj(s.additionalProperties)) {
          return {
            kind: "map",
            values: this.type(
              s.additionalProperties,
              `${path}.additionalProperties`,
              inlineName && `${inlineName}Value`,
            ),
            ...nullable,
          };
        }
        return { kind: "any", ...nullable };
      case undefined:
        return this.fail(path, "needs a type or a $ref");
      default:
        this.fail(`${path}.type`, `unknown type ${JSON.stringify(s.type)}`);
    }
  }
}

/** `foo_bar-baz` -> `FooBarBaz`. */
export function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");
}
