// The codegen model: what both schema readers (XTP YAML, JSON Schema) produce and every
// emitter consumes. It is deliberately small: the types a plugin's JSON messages can carry.

/** A value type. `nullable` adds `| null` (JSON null) to it. */
export type TypeRef = (
  | { kind: "string"; format?: "date-time" | "date" | "uri" | "email" | "uuid" | undefined }
  | { kind: "date-time" }
  | { kind: "number"; format?: "float" | "double" | undefined }
  | { kind: "integer"; format: "int32" | "int64" | "safe" }
  | { kind: "boolean" }
  | { kind: "buffer" }
  | { kind: "array"; items: TypeRef }
  | { kind: "map"; values: TypeRef }
  | { kind: "ref"; name: string }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "union"; variants: TypeRef[] }
  | { kind: "any" }
) & { nullable?: boolean };

/** One property of an object schema; `name` is the JSON key, used unchanged in TypeScript. */
export interface Property {
  name: string;
  type: TypeRef;
  required: boolean;
  description?: string | undefined;
}

/** A named type in components.schemas (or a JSON Schema definition). */
export type NamedSchema =
  | {
      kind: "object";
      name: string;
      description?: string | undefined;
      properties: Property[];
      /** Type of extra keys; undefined = extra keys are ignored when decoding. */
      additional?: TypeRef | undefined;
    }
  | { kind: "enum"; name: string; description?: string | undefined; values: string[] }
  | { kind: "alias"; name: string; description?: string | undefined; type: TypeRef };

/** How a top-level input/output travels: JSON text, plain text, or raw bytes. */
export type ContentType = "application/json" | "text/plain; charset=utf-8" | "application/x-binary";

/** The input or output of an export or import. */
export interface Param {
  type: TypeRef;
  contentType: ContentType;
  description?: string | undefined;
}

/** A function the plugin exports (guest) or imports from the host (`extism:host/user`). */
export interface FunctionDef {
  name: string;
  description?: string | undefined;
  input?: Param | undefined;
  output?: Param | undefined;
}

/** A whole plugin schema. */
export interface CodegenModel {
  exports: FunctionDef[];
  imports: FunctionDef[];
  schemas: NamedSchema[];
}
