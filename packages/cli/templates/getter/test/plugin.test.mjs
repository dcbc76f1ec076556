// The compiled plugin (plugin.wasm, built by `npm run build`) run through `capstan pull`,
// against a local HTTP server. `npm test` builds first.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { capstan } from "./capstan.mjs";

// Every byte value, so a text-only path would show.
const chart = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));
let server;
let base;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === "/charts/web-1.0.0.tgz") {
      res.writeHead(200, { "content-type": "application/gzip" }).end(chart);
    } else if (req.url === "/private.txt") {
      const ok = req.headers.authorization === `Basic ${Buffer.from("ada:secret").toString("base64")}`;
      res.writeHead(ok ? 200 : 401).end(ok ? "hello ada\n" : "");
    } else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `__PROTOCOL__://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

test("downloads the bytes of a __PROTOCOL__:// URL", async () => {
  const r = await capstan(["pull", `${base}/charts/web-1.0.0.tgz`, "-o", "-"], { binary: true });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.equals(chart), "the downloaded bytes differ");
});

test("passes basic auth", async () => {
  const r = await capstan(["pull", `${base}/private.txt`, "-o", "-", "--username", "ada", "--password", "secret"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "hello ada\n");
});

test("an HTTP error fails the download with the status", async () => {
  const r = await capstan(["pull", `${base}/missing.tgz`, "-o", "-"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /returned HTTP 404/);
});
