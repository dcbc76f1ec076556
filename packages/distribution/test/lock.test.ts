// The install lock: stale locks of dead processes are broken, live ones are waited for.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "@jest/globals";
import { LOCK_FILE, withInstallLock } from "../src/install/install-lock.js";
import { tempDir } from "./helpers/dist-fixtures.js";

const work = tempDir("capstan-lock-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

function deadPid(): number {
  // A process that has exited: its pid is free (reuse within the test is vanishingly rare).
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(r.stdout);
}

test("a lock left by a dead process is broken", async () => {
  const home = join(work, "stale");
  mkdirSync(home);
  writeFileSync(join(home, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), since: "then" }));
  expect(await withInstallLock(home, async () => readdirSync(home))).toEqual([LOCK_FILE]);
  expect(readdirSync(home)).toEqual([]);
});

test("an unreadable lock older than 2 s is broken; a fresh one is waited for", async () => {
  const home = join(work, "junk");
  mkdirSync(home);
  writeFileSync(join(home, LOCK_FILE), "");
  await expect(withInstallLock(home, async () => 1, { timeoutMs: 300 })).rejects.toMatchObject({
    code: "INSTALL_LOCKED",
  });
  const old = new Date(Date.now() - 10_000);
  utimesSync(join(home, LOCK_FILE), old, old);
  expect(await withInstallLock(home, async () => 2, { timeoutMs: 300 })).toBe(2);
});

test("a live holder makes others wait, in order, and the lock is released after errors", async () => {
  const home = join(work, "live");
  const order: string[] = [];
  // The first holder keeps the lock until the second reports that it waits: no sleeps to race.
  let holding!: () => void;
  const held = new Promise<void>((r) => (holding = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const first = withInstallLock(home, async () => {
    order.push("a-start");
    holding();
    await released;
    order.push("a-end");
    throw new Error("boom");
  });
  await held;
  const waits: string[] = [];
  const second = withInstallLock(
    home,
    async () => {
      order.push("b");
    },
    {
      onWait: (who) => {
        waits.push(who);
        release();
      },
    },
  );
  await expect(first).rejects.toThrow("boom");
  await second;
  expect(order).toEqual(["a-start", "a-end", "b"]);
  expect(waits).toEqual([expect.stringMatching(new RegExp(`^pid ${process.pid} since `))]);
  // A holder on another host is never treated as stale.
  writeFileSync(
    join(home, LOCK_FILE),
    JSON.stringify({ pid: deadPid(), host: "elsewhere.example", since: "x" }),
  );
  await expect(withInstallLock(home, async () => 1, { timeoutMs: 200 })).rejects.toMatchObject({
    code: "INSTALL_LOCKED",
  });
});
