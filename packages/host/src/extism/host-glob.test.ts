import { expect, test } from "@jest/globals";
import { hostAllowed } from "./host-glob.js";

test("exact hosts, wildcards and case", () => {
  expect(hostAllowed("example.com", ["example.com"])).toBe(true);
  expect(hostAllowed("EXAMPLE.com", ["example.COM"])).toBe(true);
  expect(hostAllowed("api.example.com", ["example.com"])).toBe(false);
  expect(hostAllowed("api.example.com", ["*.example.com"])).toBe(true);
  expect(hostAllowed("a.b.example.com", ["*.example.com"])).toBe(true);
  expect(hostAllowed("example.com", ["*.example.com"])).toBe(false);
  expect(hostAllowed("evil-example.com", ["*.example.com"])).toBe(false);
  expect(hostAllowed("anything.at.all", ["*"])).toBe(true);
  expect(hostAllowed("10.0.0.7", ["10.0.0.?"])).toBe(true);
  expect(hostAllowed("10.0.0.17", ["10.0.0.?"])).toBe(false);
});

test("dots and other regex characters are literal; IPv6 brackets are ignored", () => {
  expect(hostAllowed("exampleXcom", ["example.com"])).toBe(false);
  expect(hostAllowed("a+b.com", ["a+b.com"])).toBe(true);
  expect(hostAllowed("aab.com", ["a+b.com"])).toBe(false);
  expect(hostAllowed("[::1]", ["::1"])).toBe(true);
  expect(hostAllowed("::1", ["[::1]"])).toBe(true);
  expect(hostAllowed("example.com", [])).toBe(false);
});
