import { MAX_TIMEOUT_MS } from "@capstan/manifest";
import { expect, test } from "@jest/globals";
import { DEFAULT_TIMEOUT_MS, resolvePolicy, timeoutOr } from "./policy.js";

test("the engine's own deadline follows the host's, just past it", () => {
  expect(resolvePolicy({ timeoutMs: 120_000 }).config["capstan.timeout_ms"]).toBe("121000");
  expect(resolvePolicy({}).config["capstan.timeout_ms"]).toBe(String(resolvePolicy({}).timeoutMs + 1000));
});

test("a plugin's explicit capstan.timeout_ms wins over the derived one", () => {
  const p = resolvePolicy({ timeoutMs: 5000, config: { "capstan.timeout_ms": "100", region: "eu" } });
  expect(p.config).toEqual({ "capstan.timeout_ms": "100", region: "eu" });
});

test("a timeout of 0 means the default; out-of-range timeouts are config errors, not call-time crashes", () => {
  expect(resolvePolicy({ timeoutMs: 0 }).timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
  expect(timeoutOr(0, 1234, "p")).toBe(1234);
  expect(timeoutOr(undefined, 1234, "p")).toBe(1234);
  expect(timeoutOr(MAX_TIMEOUT_MS, 1234, "p")).toBe(MAX_TIMEOUT_MS);
  for (const bad of [99_999_999_999_999, MAX_TIMEOUT_MS + 1, -1, 1.5, Number.NaN]) {
    expect(() => resolvePolicy({ name: "slow", timeoutMs: bad })).toThrow(
      expect.objectContaining({ code: "config", message: expect.stringContaining('plugin "slow": timeout') }),
    );
  }
});
