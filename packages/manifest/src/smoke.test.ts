import { expect, test } from "@jest/globals";
import { messageSchemas, packageName, validateMessage } from "./index.js";

test("smoke", () => {
  expect(packageName).toBe("@capstan/manifest");
  expect(Object.keys(messageSchemas)).toHaveLength(6);
  validateMessage("cli.output", {});
  expect(() => validateMessage("cli.output", { exitCode: "x" })).toThrow(/cli.output.*exitCode/);
});
