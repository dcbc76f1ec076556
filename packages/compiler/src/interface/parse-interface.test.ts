import { expect, test } from "@jest/globals";
import { parseInterface } from "./parse-interface.js";

test("parses exports in declaration order and typed host imports", () => {
  const iface = parseInterface(
    `declare module "main" {
  export function zeta(): I32;
  export function alpha(): I32;
}
declare module "extism:host" {
  interface user {
    lookup(ptr: PTR): I64;
    mix(a: I32, b: I64, c: F32, d: F64, e): void;
  }
}
`,
    "plugin.d.ts",
  );
  expect(iface.exports.map((e) => e.name)).toEqual(["zeta", "alpha"]);
  expect(iface.imports).toEqual([
    { name: "lookup", params: ["I64"], result: "I64" },
    { name: "mix", params: ["I32", "I64", "F32", "F64", "I64"], result: null },
  ]);
});

test.each([
  [
    `declare module "main" { export function f(): string; }`,
    /plugin\.d\.ts:1:46: .*unsupported type "string"/,
  ],
  [
    `declare module "main" { export function f(x: I32): I32; }`,
    /plugin\.d\.ts:1:43: export f: exports take no parameters/,
  ],
  [`declare module "other" { }`, /plugin\.d\.ts:1:16: unknown module "other"/],
  [
    `declare module "main" {\n  export function f(): I32;\n  export function f(): I32;\n}`,
    /plugin\.d\.ts:3:3: export f is declared twice/,
  ],
  [
    `declare module "extism:host" { interface user { f(a: boolean): I32; } }`,
    /plugin\.d\.ts:1:54: parameter: unsupported type "boolean"/,
  ],
  [`const x = 1;`, /plugin\.d\.ts:1:1: only `declare module "main"`/],
  [`declare module "main" { export function memory(): I32; }`, /reserved/],
  [`declare module "main" {}`, /declares no exports/],
])("rejects %s", (text, message) => {
  expect(() => parseInterface(text, "plugin.d.ts")).toThrow(message);
});
