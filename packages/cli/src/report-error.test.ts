// reportError: a system error (a full disk) gets a hint naming the cause, not "a bug in capstan".
import { writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { expect, test } from "@jest/globals";
import { reportError } from "./report-error.js";

function report(e: unknown): { code: number; text: string } {
  const stderr = new PassThrough();
  const code = reportError(e, stderr, false);
  return { code, text: String(stderr.read() ?? "") };
}

test("ENOSPC (a real one, from /dev/full) is a full disk, not a bug in capstan", () => {
  let caught: unknown;
  try {
    writeFileSync("/dev/full", "x");
  } catch (e) {
    caught = e;
  }
  const { code, text } = report(caught);
  expect(code).toBe(1);
  expect(text).toMatch(/^error: .*ENOSPC: no space left on device/);
  expect(text).toContain("hint: the disk is full");
  expect(text).not.toContain("bug in capstan");
});

test("an error that is no system error still says it may be a bug", () => {
  expect(report(new TypeError("x is undefined")).text).toContain("this is a bug in capstan");
});
