// A closed pipe is not a crash (issue 12, item 11): when the reader of capstan's stdout or
// stderr goes away (`capstan --help | head -1`), capstan ends quietly with the command's own
// exit code; a subprocess plugin killed by SIGPIPE exits 141, as in a shell.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { capstanBin, type Home, makeHome, requireBuild, writePlugin } from "./helpers.js";

let home: Home;
beforeAll(() => {
  requireBuild();
  home = makeHome();
  // Enough plugins that `plugin list` writes after the reader is gone whatever the timing.
  for (let i = 0; i < 40; i++) {
    writePlugin(home, `p${i}`, `name: p${i}\nversion: 0.1.${i}\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n`, {
      "run.sh": "#!/bin/sh\necho hi\n",
    });
  }
  writePlugin(home, "flood", 'name: flood\nversion: 0.1.0\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n', {
    "run.sh": "#!/bin/sh\nexec yes capstan\n",
  });
});
afterAll(() => home.remove());

/**
 * Runs capstan with the read end of `closed` (stdout or stderr) closed before capstan writes
 * to it; the other stream is collected.
 */
function runClosed(
  args: string[],
  closed: "stdout" | "stderr",
): Promise<{ code: number | null; signal: NodeJS.Signals | null; other: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [capstanBin, ...args], {
      env: home.env,
      cwd: home.root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child[closed].destroy();
    let other = "";
    const keep = closed === "stdout" ? child.stderr : child.stdout;
    keep.setEncoding("utf8").on("data", (s: string) => (other += s));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, other }));
  });
}

test("help, plugin list and version end quietly with their own code when stdout is closed", async () => {
  for (const args of [["--help"], ["plugin", "list"], ["plugin", "list", "-o", "json"], ["version"]]) {
    const r = await runClosed(args, "stdout");
    expect({ args, ...r }).toEqual({ args, code: 0, signal: null, other: "" });
  }
});

test("an error reported to a closed stderr keeps its exit code", async () => {
  const r = await runClosed(["no-such-command"], "stderr");
  expect(r).toEqual({ code: 2, signal: null, other: "" });
});

test("a subprocess plugin killed by SIGPIPE exits 141", async () => {
  const r = await runClosed(["flood"], "stdout");
  expect(r.code).toBe(141);
  expect(r.signal).toBeNull();
  expect(r.other).not.toMatch(/Unhandled|at .*\.js:\d+/);
});
