import { expect, test } from "@jest/globals";
import { outcomeError } from "./outcome-error.js";
import { resolvePolicy } from "./policy.js";

const context = {
  policy: resolvePolicy({ name: "hungry" }),
  wasmPath: "/p/plugin.wasm",
  timeoutMs: 30_000,
  waitingFor: null,
};

test("a full JavaScript heap (the engine's out-of-memory report) is a memory error with the memory exit code", () => {
  const err = outcomeError(
    { kind: "plugin-error", detail: "InternalError: out of memory\n    at grow (main.ts:3)" },
    context,
  );
  expect(err).toMatchObject({
    code: "memory",
    exitCode: 8,
    message: 'plugin "hungry" ran out of memory: its JavaScript heap is full (InternalError: out of memory)',
    hint: expect.stringContaining("capstan.memory_mb"),
  });
  // Any other plugin error stays a plugin error (exit 6).
  expect(outcomeError({ kind: "plugin-error", detail: "Error: nope" }, context)).toMatchObject({
    exitCode: 6,
  });
});

test("kernel traps name the plugin and say what to do", () => {
  const err = outcomeError(
    { kind: "host-trap", code: "trap", message: "load_u8: invalid kernel memory handle 0x2a" },
    context,
  );
  expect(err.message).toBe(
    'plugin "hungry" (/p/plugin.wasm) made an invalid kernel call: load_u8: invalid kernel memory handle 0x2a',
  );
  expect(err.hint).toContain("plugin's author");
});

test("every outcome has a hint, and the error's stack holds no host frames (the plugin's frames are in its message)", () => {
  const outcomes = [
    { kind: "plugin-error", detail: "Error: bad value 7\n    at inner (src/index.ts:32:24)\n" },
    { kind: "exit", status: 3 },
    { kind: "host-trap", code: "trap", message: "load_u8: invalid kernel memory handle 0x2a" },
    { kind: "host-trap", code: "http-denied", message: "GET https://x/ is not allowed" },
    { kind: "deadline" },
    { kind: "entry", funcName: "nope" },
    { kind: "entry", funcName: "helm_plugin_main" },
    { kind: "no-memory" },
    { kind: "wasm", name: "RuntimeError", message: "unreachable", pages: 1 },
    { kind: "wasm", name: "LinkError", message: "import missing", pages: 1 },
    { kind: "host-bug", message: "WASI setup failed" },
  ] as const;
  for (const o of outcomes) {
    const err = outcomeError(o as never, { ...context, exportNames: () => ["main", "other"] });
    expect(err.hint).toMatch(/\w/);
    expect(err.stack).toBe(`RuntimeError: ${err.message}`);
  }
  const failed = outcomeError(outcomes[0], context);
  expect(failed.message).toBe(
    'plugin "hungry" failed: Error: bad value 7\n    at inner (src/index.ts:32:24)',
  );
  expect(
    outcomeError({ kind: "entry", funcName: "nope" }, { ...context, exportNames: () => ["main"] }).hint,
  ).toBe("call one of the module's exported functions (it exports main)");
});
