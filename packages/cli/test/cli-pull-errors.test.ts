// `capstan pull` and ordinary failures (issue 12, item 12): -d creates its directory; a bad
// path, a full disk or an invalid URL gets a hint naming the cause and the path, never
// "this is a bug in capstan"; an invalid URL is a usage error (exit 2).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { capstan, type Home, makeHome, requireBuild } from "./helpers.js";

let home: Home;
let server: Server;
let base: string;
beforeAll(async () => {
  requireBuild();
  home = makeHome();
  server = createServer((_req, res) => res.writeHead(200).end("chart bytes\n"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  home.remove();
});

const noBug = (stderr: string) => expect(stderr).not.toContain("bug in capstan");

test("-d creates the destination directory, nested ones included", async () => {
  const r = await capstan(home, ["pull", `${base}/charts/app-1.0.0.tgz`, "-d", "out/nested/dir"]);
  expect(r.code).toBe(0);
  expect(readFileSync(join(home.root, "out/nested/dir/app-1.0.0.tgz"), "utf8")).toBe("chart bytes\n");
});

test("file system failures name the path and the cause", async () => {
  const missing = await capstan(home, ["pull", `${base}/a.tgz`, "-o", "no-such-dir/a.tgz"]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^error: ENOENT: .*no-such-dir\/a\.tgz/);
  expect(missing.stderr).toContain('hint: "no-such-dir/a.tgz" does not exist');
  noBug(missing.stderr);
  expect(existsSync(join(home.root, "no-such-dir"))).toBe(false); // -o does not build a tree

  const dir = await capstan(home, ["pull", `${base}/a.tgz`, "-o", home.root]);
  expect(dir.code).toBe(1);
  expect(dir.stderr).toContain(`hint: "${home.root}" is a directory`);
  noBug(dir.stderr);

  writeFileSync(join(home.root, "a-file"), "");
  const notDir = await capstan(home, ["pull", `${base}/a.tgz`, "-d", "a-file"]);
  expect(notDir.code).toBe(1);
  expect(notDir.stderr).toContain('hint: "a-file" exists and is not a directory');
  noBug(notDir.stderr);

  const full = await capstan(home, ["pull", `${base}/a.tgz`, "-o", "/dev/full"]);
  expect(full.code).toBe(1);
  expect(full.stderr).toMatch(/ENOSPC/);
  expect(full.stderr).toContain("hint: the disk is full");
  noBug(full.stderr);
});

test("an invalid URL is a usage error", async () => {
  for (const url of ["http://", "https://[::1", "notaurl"]) {
    const r = await capstan(home, ["pull", url]);
    expect({ url, code: r.code }).toEqual({ url, code: 2 });
    expect(r.stderr).toMatch(/^error: "[^"]+" is not a (valid )?URL/);
    expect(r.stderr).toMatch(/\nhint: pass a full URL/);
  }
  // A port nothing listens on: one the system just handed out and took back.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const refused = await capstan(home, ["pull", `http://127.0.0.1:${port}/x.tgz`]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("ECONNREFUSED");
  noBug(refused.stderr);
});
