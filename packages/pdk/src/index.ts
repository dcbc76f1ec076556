// @capstan/pdk: typed helpers for Capstan/Helm plugin types, bundled into plugins. The js-pdk
// globals themselves come from the prelude (dist/prelude.js); their types from types/globals.d.ts.

export type { CliInput } from "@capstan/manifest/generated/cli.v1.input";
export type { CliOutput } from "@capstan/manifest/generated/cli.v1.output";
export type { GetterInput } from "@capstan/manifest/generated/getter.v1.input";
export type { GetterOutput } from "@capstan/manifest/generated/getter.v1.output";
export type { PostrendererInput } from "@capstan/manifest/generated/postrenderer.v1.input";
export type { PostrendererOutput } from "@capstan/manifest/generated/postrenderer.v1.output";
export type { CliHandler, CliRequest, CliResult } from "./helpers/cli.js";
export { defineCli } from "./helpers/cli.js";
export type { GetterHandler, GetterRequest, GetterResult } from "./helpers/getter.js";
export { defineGetter } from "./helpers/getter.js";
export type { PostrendererHandler, PostrendererRequest } from "./helpers/postrenderer.js";
export { definePostrenderer } from "./helpers/postrenderer.js";
export type { ExportResult } from "./helpers/run-export.js";
/** The package name. */
export const packageName = "@capstan/pdk";
