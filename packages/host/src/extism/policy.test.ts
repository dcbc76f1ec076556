import { expect, test } from "@jest/globals";
import { resolvePolicy } from "./policy.js";

test("the engine's own deadline follows the host's, just past it", () => {
  expect(resolvePolicy({ timeoutMs: 120_000 }).config["capstan.timeout_ms"]).toBe("121000");
  expect(resolvePolicy({}).config["capstan.timeout_ms"]).toBe(String(resolvePolicy({}).timeoutMs + 1000));
});

test("a plugin's explicit capstan.timeout_ms wins over the derived one", () => {
  const p = resolvePolicy({ timeoutMs: 5000, config: { "capstan.timeout_ms": "100", region: "eu" } });
  expect(p.config).toEqual({ "capstan.timeout_ms": "100", region: "eu" });
});
