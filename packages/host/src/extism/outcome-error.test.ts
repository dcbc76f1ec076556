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
