import { MAX_TIMEOUT_MS } from "@capstan/manifest";
import { expect, test } from "@jest/globals";
import { parseTimeout } from "./duration.js";

test("--timeout: 0 and absent mean the default (as timeout: 0 in plugin.yaml); more than 24h is a usage error", () => {
  expect(parseTimeout(undefined)).toBeUndefined();
  expect(parseTimeout("0")).toBeUndefined();
  expect(parseTimeout("0s")).toBeUndefined();
  expect(parseTimeout("1m30s")).toBe(90_000);
  expect(parseTimeout("24h")).toBe(MAX_TIMEOUT_MS);
  expect(() => parseTimeout("99999h")).toThrow(
    expect.objectContaining({ message: expect.stringContaining("longer than 24h") }),
  );
  expect(() => parseTimeout("soon")).toThrow(
    expect.objectContaining({ message: expect.stringContaining("is not a duration") }),
  );
});
