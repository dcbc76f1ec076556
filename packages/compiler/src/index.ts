// @capstan/compiler: TS -> plugin.wasm: bundle, snapshot, exports, codegen (bin: capstan-js).

export type { CapstanJsArgs } from "./cli/capstan-js.js";
export { parseCapstanJsArgs, runCapstanJs } from "./cli/capstan-js.js";
export type { CodegenModel, GeneratedFiles } from "./codegen/index.js";
export {
  CodegenError,
  generateBindings,
  generatedHeader,
  generateFromXtpSchema,
  generateHelmMessageTypes,
  jsonSchemasToModel,
  parseXtpSchema,
  writeGeneratedFiles,
} from "./codegen/index.js";
export type { CompileOptions, CompileResult, CompileSizes } from "./compile.js";
export { compile } from "./compile.js";
export { CompilerError } from "./errors.js";
export { defaultInterface, parseInterface } from "./interface/parse-interface.js";
export type { ExportDecl, ImportDecl, PluginInterface, ValueType } from "./interface/types.js";
export type { CompileTarget } from "./pipeline/target.js";
export { parseTarget, TARGETS } from "./pipeline/target.js";
export { buildPluginIfStale } from "./plugin/build-if-stale.js";
export type { BuildPluginOptions, BuildPluginResult } from "./plugin/build-plugin.js";
export { buildPlugin } from "./plugin/build-plugin.js";
export { findEntry, findInterface } from "./plugin/find-entry.js";

/** The package name (smoke test). */
export const packageName = "@capstan/compiler";
