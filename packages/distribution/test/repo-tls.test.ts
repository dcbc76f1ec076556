// Plugin repositories over https with Helm's TLS flags: a local server with a self-signed
// certificate that requires a client certificate (certificates made by openssl). The CA file
// makes the server trusted; the client certificate is presented to the repository's origin.
import { readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { resolveSettings } from "@capstan/host";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { addRepository } from "../src/repo/repositories.js";
import { tempDir } from "./helpers/dist-fixtures.js";
import { selfSigned } from "./helpers/self-signed.js";

const work = tempDir("capstan-repo-tls-");
const pem = (name: string) => join(work, `${name}.pem`);
const key = (name: string) => join(work, `${name}.key`);
let server: Server;
let url: string;
const clients: string[] = [];
let count = 0;

function context() {
  const dir = join(work, `env-${++count}`);
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), XDG_CACHE_HOME: join(dir, "cache") };
  return { settings: resolveSettings(env), env };
}

beforeAll(async () => {
  selfSigned(work, "server", "localhost", "IP:127.0.0.1");
  selfSigned(work, "client", "repo-client");
  server = createServer(
    {
      cert: readFileSync(pem("server")),
      key: readFileSync(key("server")),
      ca: readFileSync(pem("client")),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      clients.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? ""));
      if (req.url === "/plugins/index.yaml") res.end("apiVersion: v1\nentries: {}\n");
      else res.writeHead(404).end();
    },
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/plugins`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(work, { recursive: true, force: true });
});

test("--ca-file, --cert-file and --key-file reach a server that wants a client certificate", async () => {
  const r = await addRepository(
    { name: "tls", url, caFile: pem("server"), certFile: pem("client"), keyFile: key("client") },
    context(),
  );
  expect(r.repo).toMatchObject({ name: "tls", url, caFile: pem("server") });
  expect(clients).toContain("repo-client");
});

test("an untrusted server certificate is refused without --ca-file; --insecure-skip-tls-verify skips the check", async () => {
  await expect(
    addRepository({ name: "tls", url, certFile: pem("client"), keyFile: key("client") }, context()),
  ).rejects.toMatchObject({
    code: "REPO_UNREACHABLE",
    exitCode: 5,
    message: expect.stringMatching(/certificate/i),
    hint: expect.stringContaining("--ca-file"),
  });
  const r = await addRepository(
    { name: "tls", url, certFile: pem("client"), keyFile: key("client"), insecure_skip_tls_verify: true },
    context(),
  );
  expect(r.repo.name).toBe("tls");
});

test("a missing CA file names the flag", async () => {
  await expect(
    addRepository({ name: "tls", url, caFile: join(work, "nope.pem") }, context()),
  ).rejects.toMatchObject({
    code: "REPO_CONFIG_INVALID",
    message: expect.stringContaining("--ca-file"),
  });
});
