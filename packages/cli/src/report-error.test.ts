// reportError and the other terminal writers: plugin text escaped; a system error (a full disk)
// gets a hint naming the cause, not "a bug in capstan".
import { writeFileSync } from "node:fs";
import { PassThrough, Writable } from "node:stream";
import { CapstanError } from "@capstan/manifest";
import { expect, test } from "@jest/globals";
import { printWarnings } from "./plugin-warnings.js";
import { reportError } from "./report-error.js";
import { formatTable } from "./table.js";

function sink(): { out: Writable; text: () => string } {
  let text = "";
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

test("error, hint and warning lines carry plugin text escaped (no OSC, no clear screen, no \\r overwrite)", () => {
  const s = sink();
  reportError(
    new CapstanError("plugin-error", 'plugin "x" failed: \x1b]0;pwned\x07boom\rOK', { hint: "\x1b[2Jrun" }),
    s.out,
    false,
  );
  reportError(new Error("\x1b]52;c;ZXZpbA==\x07"), s.out, false);
  printWarnings(
    { warnings: [{ code: "unknown-key", message: "plugin.yaml:3:1: x\r\x1b[1Afake: unknown key" }] } as never,
    s.out,
  );
  for (const c of ["\x1b", "\x07", "\r"]) expect(s.text()).not.toContain(c);
  expect(s.text()).toContain(
    'error: plugin "x" failed: \\u001b]0;pwned\\u0007boom\\rOK\nhint: \\u001b[2Jrun\n',
  );
  expect(s.text()).toContain("warning: plugin.yaml:3:1: x\\r\\u001b[1Afake: unknown key\n");
});

test("table cells (plugin list, the Plugins section of --help) are escaped", () => {
  expect(formatTable(["NAME", "HELP"], [["evil", "short\rhelp\x1b]0;t\x07"]])).toBe(
    "NAME  HELP\nevil  short\\rhelp\\u001b]0;t\\u0007\n",
  );
});

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

test("errno errors of paths get a hint naming the path; network ones name the cause", () => {
  const errno = (code: string, syscall: string, path?: string) =>
    Object.assign(new Error(`${code}: ${syscall}${path ? ` '${path}'` : ""}`), { code, syscall, path });
  const cases: [Error, string][] = [
    [errno("ENOENT", "open", "/x/y"), 'hint: "/x/y" does not exist'],
    [errno("EACCES", "open", "/etc/z"), 'hint: permission denied on "/etc/z"'],
    [errno("EISDIR", "open", "/tmp"), 'hint: "/tmp" is a directory'],
    [errno("ENOTDIR", "open", "/a/b"), 'hint: a part of "/a/b" is a file'],
    [errno("EEXIST", "mkdir", "out"), 'hint: "out" exists and is not a directory'],
    [errno("EROFS", "open", "/ro/f"), 'hint: the file system of "/ro/f" is read-only'],
    [errno("EACCES", "write"), "hint: permission denied on the path named above"],
    [errno("ECONNREFUSED", "connect"), "hint: nothing listens at that address"],
  ];
  for (const [e, hint] of cases) {
    const { code, text } = report(e);
    expect({ hint, code, text }).toEqual({ hint, code: 1, text: expect.stringContaining(hint) });
    expect(text).not.toContain("bug in capstan");
  }
});

test("Node's invalid-URL error is a usage error naming the input", () => {
  let caught: unknown;
  try {
    new URL("http://[::1");
  } catch (e) {
    caught = e;
  }
  const { code, text } = report(caught);
  expect(code).toBe(2);
  expect(text).toBe("error: invalid URL: http://[::1\nhint: pass a full, valid URL (scheme://host/path)\n");
});
