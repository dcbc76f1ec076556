// The WASI-backed extension globals: `process` (env, stdout/stderr, cwd...) and `Capstan`.
import { describe, expect, test } from "@jest/globals";
import { createRealm } from "../support/prelude-vm.js";

describe("process", () => {
  test("env reads the allowed WASI environment at call time; plugin writes shadow it", async () => {
    const r = await createRealm({ env: { HOME: "/home/u", PWD: "/work" } });
    expect(r.run(`[process.env.HOME, process.env.MISSING, "HOME" in process.env, process.cwd()]`)).toEqual([
      "/home/u",
      undefined,
      true,
      "/work",
    ]);
    expect(
      r.run(
        `process.env.X = 1; delete process.env.HOME; [process.env.X, process.env.HOME, Object.keys(process.env).sort()]`,
      ),
    ).toEqual(["1", undefined, ["PWD", "X"]]);
    const bare = await createRealm();
    expect(bare.run(`[process.env.HOME, process.cwd(), process.platform, process.argv.length]`)).toEqual([
      undefined,
      "/",
      "wasi",
      0,
    ]);
  });
  test("stdout/stderr write strings and bytes to fds 1 and 2; nextTick runs as a microtask", async () => {
    const fds: Record<number, string> = {};
    const r = await createRealm({ fds });
    r.run(`process.stdout.write("out é\\n"); process.stderr.write(new TextEncoder().encode("err"))`);
    expect(fds).toEqual({ 1: "out é\n", 2: "err" });
    expect(await r.runAsync(`new Promise((res) => process.nextTick((a) => res(a), 7))`)).toBe(7);
    const bare = await createRealm();
    expect(
      bare.run(`(() => { try { process.stdout.write("x"); } catch (e) { return e.message; } })()`),
    ).toMatch(/no WASI output/);
  });
});

describe("Capstan.readFile", () => {
  test("reads files from allowed mounts as bytes or text", async () => {
    const r = await createRealm({ files: { "/data/a.txt": "héllo" } });
    expect(r.run(`Capstan.readTextFile("/data/a.txt")`)).toBe("héllo");
    expect(r.run(`Array.from(Capstan.readFile("/data/a.txt")).length`)).toBe(6);
    // The engine's errors (the fake's are checked against it by the compiler's kernel-contract test).
    const failure = (path: string) =>
      r.run(
        `(() => { try { Capstan.readFile(${JSON.stringify(path)}); } catch (e) { return [e.name, e.message]; } })()`,
      );
    expect(failure("/etc/passwd")).toEqual([
      "InternalError",
      "open /etc/passwd: not inside any directory the sandbox mounts (runtimeConfig.allowedPaths)",
    ]);
    expect(failure("/data/b.txt")).toEqual(["InternalError", "open /data/b.txt: no such file or directory"]);
  });
});
