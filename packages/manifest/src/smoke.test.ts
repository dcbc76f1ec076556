import { expect, test } from "@jest/globals";
import { packageName } from "./index.js";
test("smoke", () => {
  expect(packageName).toBe("@capstan/manifest");
});
