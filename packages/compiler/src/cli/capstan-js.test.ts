import { expect, test } from "@jest/globals";
import { parseCapstanJsArgs } from "./capstan-js.js";

test("parses extism-js compatible flags", () => {
  expect(parseCapstanJsArgs(["in.ts", "-i", "plugin.d.ts", "-o", "out.wasm", "--skip-opt"])).toEqual({
    input: "in.ts",
    interfaceFile: "plugin.d.ts",
    output: "out.wasm",
    skipOpt: true,
    prelude: undefined,
    target: "extism",
  });
});

test("rejects unknown flags and a missing input", () => {
  expect(() => parseCapstanJsArgs(["--bogus"])).toThrow(/unknown option --bogus/);
  expect(() => parseCapstanJsArgs(["-i", "x.d.ts"])).toThrow(/missing input file/);
  expect(() => parseCapstanJsArgs(["a.js", "-o"])).toThrow(/-o needs a value/);
  expect(() => parseCapstanJsArgs(["a.js", "b.js"])).toThrow(
    expect.objectContaining({ code: "COMPILER_USAGE", hint: expect.stringMatching(/^usage: capstan-js /) }),
  );
});

test("--target picks the Extism kernel the module may import", () => {
  expect(parseCapstanJsArgs(["a.js", "--target", "extism-1.0"]).target).toBe("extism-1.0");
  expect(() => parseCapstanJsArgs(["a.js", "--target", "wasi"])).toThrow(
    expect.objectContaining({
      code: "COMPILER_USAGE",
      message: expect.stringMatching(/unknown target "wasi"/),
    }),
  );
});
