// Adapts JSON Schema (draft-07, the dialect of @capstan/manifest's message schemas) to the
// codegen model, so Helm message types come from the same generator as XTP schemas.
// Supported: type (one or a list; "null" in the list means nullable), properties, required,
// additionalProperties, items, enum, const, anyOf/oneOf (unions), $ref to #/definitions or
// #/$defs, description, format date-time, integer formats. Inline objects become named types
// (parent name + property name). Validation-only keywords (pattern, minLength...) are ignored:
// @capstan/manifest's validateMessage enforces them.
import { CodegenError } from "./errors.js";
import type { CodegenModel, NamedSchema, Property, TypeRef } from "./model.js";
import { pascal } from "./xtp-schema.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Converts named JSON Schemas (name -> schema) into a model of named types (no exports). */
export function jsonSchemasToModel(schemas: Record<string, unknown>): CodegenModel {
  const reader = new JsonSchemaReader();
  for (const [key, schema] of Object.entries(schemas)) {
    if (!isObj(schema)) throw new CodegenError(`JSON Schema ${key}: must be an object`);
    const name = typeof schema.title === "string" ? pascal(schema.title) : pascal(key);
    reader.definitions(schema, key);
    reader.named(name, schema, key);
  }
  return { exports: [], imports: [], schemas: reader.schemas };
}

class JsonSchemaReader {
  readonly schemas: NamedSchema[] = [];
  private readonly names = new Set<string>();

  private fail(path: string, what: string): never {
    throw new CodegenError(`JSON Schema ${path}: ${what}`);
  }

  definitions(schema: Obj, path: string): void {
    for (const key of ["definitions", "$defs"]) {
      const defs = schema[key];
      if (!isObj(defs)) continue;
      for (const [n, d] of Object.entries(defs)) {
        if (!isObj(d)) this.fail(`${path}.${key}.${n}`, "must be an object");
        this.named(pascal(n), d, `${path}.${key}.${n}`);
      }
    }
  }

  named(name: string, s: Obj, path: string): void {
    if (this.names.has(name)) return;
    this.names.add(name);
    const description = typeof s.description === "string" ? s.description : undefined;
    const types = this.typeList(s);
    if (Array.isArray(s.enum) && s.enum.every((e) => typeof e === "string")) {
      this.schemas.push({ kind: "enum", name, description, values: s.enum as string[] });
    } else if (types.includes("object") && isObj(s.properties) && types.length === 1) {
      this.object(name, s, path, description);
    } else {
      this.schemas.push({ kind: "alias", name, description, type: this.type(s, path, `${name}Value`) });
    }
  }

  private typeList(s: Obj): string[] {
    if (typeof s.type === "string") return [s.type];
    if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === "string");
    return [];
  }

  private object(name: string, s: Obj, path: string, description: string | undefined): void {
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    const schema: NamedSchema = { kind: "object", name, description, properties: [] };
    this.schemas.push(schema);
    schema.properties = Object.entries(s.properties as Obj).map(([pname, ps]): Property => {
      if (!isObj(ps)) this.fail(`${path}.properties.${pname}`, "must be an object");
      return {
        name: pname,
        type: this.type(ps, `${path}.properties.${pname}`, name + pascal(pname)),
        required: required.has(pname),
        description: typeof ps.description === "string" ? ps.description : undefined,
      };
    });
    if (s.additionalProperties === true || s.additionalProperties === undefined) {
      // JSON Schema allows extra keys by default; keep them (as unknown) when said explicitly.
      if (s.additionalProperties === true) schema.additional = { kind: "any" };
    } else if (isObj(s.additionalProperties)) {
      schema.additional = this.type(s.additionalProperties, `${path}.additionalProperties`, `${name}Value`);
    }
  }

  type(s: Obj, path: string, inlineName: string): TypeRef {
    if (typeof s.$ref === "string") {
      const m = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(s.$ref);
      if (!m?.[1])
        this.fail(
          `${path}.$ref`,
          `only local #/definitions or #/$defs references are supported, not ${s.$ref}`,
        );
      return { kind: "ref", name: pascal(m[1]) };
    }
    const variants = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as
      | unknown[]
      | undefined;
    if (variants) {
      const isNull = (v: unknown): boolean => isObj(v) && v.type === "null";
      const ts = variants
        .filter((v) => !isNull(v))
        .map((v, i) => {
          if (!isObj(v)) this.fail(`${path}.anyOf[${i}]`, "must be an object");
          return this.type(v, `${path}.anyOf[${i}]`, `${inlineName}${i}`);
        });
      const nullable = variants.some(isNull) ? { nullable: true } : {};
      return ts.length === 1 && ts[0]
        ? { ...ts[0], ...nullable }
        : { kind: "union", variants: ts, ...nullable };
    }
    if (
      "const" in s &&
      (typeof s.const === "string" || typeof s.const === "number" || typeof s.const === "boolean")
    ) {
      return { kind: "literal", value: s.const };
    }
    if (Array.isArray(s.enum)) {
      const values = s.enum.filter((e): e is string | number | boolean => e !== null);
      return {
        kind: "union",
        variants: values.map((value) => ({ kind: "literal", value })),
        ...(values.length < s.enum.length ? { nullable: true } : {}),
      };
    }
    const all = this.typeList(s);
    const nullable = all.includes("null") ? { nullable: true } : {};
    const types = all.filter((t) => t !== "null");
    if (types.length > 1) {
      return {
        kind: "union",
        variants: types.map((t) => this.type({ ...s, type: t }, path, inlineName)),
        ...nullable,
      };
    }
    switch (types[0]) {
      case "string":
        return s.format === "date-time"
          ? { kind: "date-time", ...nullable }
          : { kind: "string", ...nullable };
      case "number":
        return { kind: "number", ...nullable };
      case "integer":
        return {
          kind: "integer",
          format: s.format === "int32" ? "int32" : s.format === "int64" ? "int64" : "safe",
          ...nullable,
        };
      case "boolean":
        return { kind: "boolean", ...nullable };
      case "array":
        return {
          kind: "array",
          items: isObj(s.items) ? this.type(s.items, `${path}.items`, `${inlineName}Item`) : { kind: "any" },
          ...nullable,
        };
      case "object":
        if (isObj(s.properties) && Object.keys(s.properties).length > 0) {
          this.named(inlineName, { ...s, type: "object" }, path);
          return { kind: "ref", name: inlineName, ...nullable };
        }
        return {
          kind: "map",
          values: isObj(s.additionalProperties)
            ? this.type(s.additionalProperties, `${path}.additionalProperties`, `${inlineName}Value`)
            : { kind: "any" },
          ...nullable,
        };
      case undefined:
        return { kind: "any", ...nullable };
      default:
        return this.fail(`${path}.type`, `unknown type ${JSON.stringify(types[0])}`);
    }
  }
}
