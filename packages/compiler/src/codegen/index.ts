// Codegen: schema (XTP YAML or JSON Schema) -> TypeScript bindings and the interface file.
export { CodegenError } from "./errors.js";
export type { GeneratedFiles } from "./generate.js";
export {
  generateBindings,
  generatedHeader,
  generateFromXtpSchema,
  generateHelmMessageTypes,
  nameTopLevelTypes,
  writeGeneratedFiles,
} from "./generate.js";
export { jsonSchemasToModel } from "./json-schema.js";
export type {
  CodegenModel,
  ContentType,
  FunctionDef,
  NamedSchema,
  Param,
  Property,
  TypeRef,
} from "./model.js";
export { parseXtpSchema } from "./xtp-schema.js";
