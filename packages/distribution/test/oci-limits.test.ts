// A hostile registry: tag lists that page forever, hold 300k tags, never end or link to
// another server, and a manifest body that stalls. Each must fail with a CapstanError, fast.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { OciClient } from "../src/oci/oci-client.js";

let server: Server;
let registry: string;
let pages = 0;

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  "/v2/loop/tags/list": (_req, res) => {
    pages++;
    res.writeHead(200, { "content-type": "application/json", link: '</v2/loop/tags/list?n=1>; rel="next"' });
    res.end(JSON.stringify({ name: "loop", tags: [`v${pages}`] }));
  },
  "/v2/many/tags/list": (_req, res) => {
    const tags = Array.from({ length: 300_000 }, (_, i) => `${i}`);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: "many", tags }));
  },
  "/v2/huge/tags/list": (_req, res) => {
    // No Content-Length: the cap must apply while streaming. Bounded: 5 MiB, then the end.
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"name":"huge","tags":["');
    for (let i = 0; i < 5 && !res.destroyed; i++) res.write("x".repeat(1024 * 1024));
    res.end('"]}');
  },
  "/v2/away/tags/list": (_req, res) => {
    res.writeHead(200, { link: '<http://127.0.0.2:1/v2/away/tags/list?last=a>; rel="next"' });
    res.end(JSON.stringify({ name: "away", tags: ["1.0.0"] }));
  },
  "/v2/stall/manifests/1.0.0": (_req, res) => {
    res.writeHead(200, {
      "content-type": "application/vnd.oci.image.manifest.v1+json",
      "content-length": "900",
    });
    res.write('{"schemaVersion":2,');
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[(req.url ?? "").split("?")[0]!];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

// The server runs in this process: building 300k tags blocks the loop, so only the stall
// test uses a short idle timeout.
const client = (idleTimeoutMs = 30_000) => new OciClient(registry, { plainHttp: true, idleTimeoutMs });

test("a Link header that always points to another page stops at the page cap", async () => {
  // The default cap is 1000 pages; 50 keeps the test quick on a loaded machine.
  const capped = new OciClient(registry, { plainHttp: true, maxTagPages: 50 });
  await expect(capped.listTags("loop")).rejects.toMatchObject({
    code: "OCI_PROTOCOL",
    message: `${registry}/loop: more than 50 pages of tags`,
  });
  expect(pages).toBe(50);
});

test("300k tags are refused at the tag cap, not by a stack overflow", async () => {
  await expect(client().listTags("many")).rejects.toMatchObject({
    code: "OCI_PROTOCOL",
    message: `${registry}/many: more than 100000 tags`,
  });
});

test("a tag list body over 4 MiB is refused while streaming", async () => {
  await expect(client().listTags("huge")).rejects.toMatchObject({
    code: "ARCHIVE_UNSAFE",
    message: `${registry}/huge tag list: larger than the cap of 4194304 bytes`,
  });
});

test("a next page on another server is refused (the credentials stay with the registry)", async () => {
  await expect(client().listTags("away")).rejects.toMatchObject({
    code: "OCI_PROTOCOL",
    message: `${registry}/away: the tag list links to another server (http://127.0.0.2:1)`,
  });
});

test("a manifest body that stalls times out", async () => {
  await expect(client(300).getManifest("stall", "1.0.0")).rejects.toMatchObject({
    code: "INSTALL_TIMEOUT",
    exitCode: 7,
    message: `http://${registry}/v2/stall/manifests/1.0.0: timed out (no data for 300 ms)`,
  });
});
