// `capstan pull` with Helm's TLS flags against a local https server that requires a client
// certificate (self-signed certificates made by openssl; tools/setup/system-deps.sh).

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { selfSigned } from "../../distribution/test/helpers/self-signed.js";
import { capstan, type Home, makeHome, requireBuild } from "./helpers.js";

let home: Home;
let server: Server;
let url: string;
const pem = (name: string) => join(home.root, `${name}.pem`);
const key = (name: string) => join(home.root, `${name}.key`);

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  selfSigned(home.root, "server", "localhost", "IP:127.0.0.1");
  selfSigned(home.root, "client", "pull-client");
  server = createServer(
    {
      cert: readFileSync(pem("server")),
      key: readFileSync(key("server")),
      ca: readFileSync(pem("client")),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject?.CN}\n`),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/chart.tgz`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  home.remove();
});

test("pull --ca-file --cert-file --key-file downloads from a server that wants a client certificate", async () => {
  const tls = ["--cert-file", pem("client"), "--key-file", key("client")];
  const r = await capstan(home, ["pull", url, "--ca-file", pem("server"), ...tls, "-o", "-"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toBe("hello pull-client\n");

  const insecure = await capstan(home, ["pull", url, "--insecure-skip-tls-verify", ...tls, "-o", "-"]);
  expect(insecure.stdout).toBe("hello pull-client\n");

  const untrusted = await capstan(home, ["pull", url, ...tls, "-o", "-"]);
  expect(untrusted.code).toBe(5);
  expect(untrusted.stderr).toMatch(/^error: GET https:\/\/127\.0\.0\.1:\d+\/chart\.tgz: /m);
  expect(untrusted.stderr).toMatch(/^hint: .*--ca-file/m);
});
