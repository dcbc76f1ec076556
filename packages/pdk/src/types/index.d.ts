// Types for `@capstan/pdk`: the typed helpers (from src/) and, through the reference below, the
// plugin globals. Use with `"lib": ["ES2020"], "types": ["@capstan/pdk"]` in tsconfig.json.
/// <reference path="./globals.d.ts" />

export type {
  CliHandler,
  CliInput,
  CliOutput,
  CliRequest,
  CliResult,
  ExportResult,
  GetterHandler,
  GetterInput,
  GetterOutput,
  GetterRequest,
  GetterResult,
  PostrendererHandler,
  PostrendererInput,
  PostrendererOutput,
  PostrendererRequest,
} from "../index.js";
export {
  defineCli,
  defineGetter,
  definePostrenderer,
  packageName,
} from "../index.js";
