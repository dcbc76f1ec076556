// The built-in https getter with TLS options (CAFile, CertFile/KeyFile, InsecureSkipVerifyTLS)
// against a real local https server that requires a client certificate. Certificates are
// self-signed, made by openssl in beforeAll (tools/setup/system-deps.sh installs it).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { getUrl } from "../src/index.js";
import { httpGet } from "../src/invokers/getter-http.js";
import { getterOptions } from "../src/invokers/getter-options.js";

let dir: string;
let server: Server;
let base: string;
const files = (name: string) => ({ cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) });

/** A self-signed EC certificate (fast to make) for `cn`, with `san` as subjectAltName. */
function selfSigned(name: string, cn: string, san?: string): void {
  const f = files(name);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      f.key,
      "-out",
      f.cert,
      "-days",
      "2",
      "-subj",
      `/CN=${cn}`,
      ...(san ? ["-addext", `subjectAltName=${san}`] : []),
    ],
    { stdio: "ignore" },
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capstan-tls-"));
  selfSigned("server", "localhost", "IP:127.0.0.1,DNS:localhost");
  selfSigned("client", "capstan-test-client");
  selfSigned("stranger", "someone-else");
  server = createServer(
    {
      cert: readFileSync(files("server").cert),
      key: readFileSync(files("server").key),
      ca: readFileSync(files("client").cert), // the only client certificate it accepts
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      if (req.url === "/moved") {
        res.writeHead(302, { location: "/chart.tgz" }).end();
        return;
      }
      if (req.url === "/stall") {
        res.writeHead(200, { "content-length": "100" });
        res.write("partial"); // then nothing
        return;
      }
      if (req.url !== "/chart.tgz") {
        res.writeHead(404).end();
        return;
      }
      res.end(`chart for ${peer.subject?.CN} (auth: ${req.headers.authorization ?? "none"})`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const client = () => ({ CertFile: files("client").cert, KeyFile: files("client").key });
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

test("a client certificate and the server's CA file download the file, through a redirect", async () => {
  const opts = { ...client(), CAFile: files("server").cert, Username: "u", Password: "p" };
  expect(text(await getUrl(`${base}/chart.tgz`, [], opts))).toBe(
    `chart for capstan-test-client (auth: Basic ${Buffer.from("u:p").toString("base64")})`,
  );
  expect(text(await getUrl(`${base}/moved`, [], opts))).toMatch(/^chart for capstan-test-client/);
});

test("without the CA file the self-signed server is refused (exit 5, hint names --ca-file)", async () => {
  await expect(getUrl(`${base}/chart.tgz`, [], client())).rejects.toMatchObject({
    code: "tls",
    exitCode: 5,
    message: expect.stringContaining(`GET ${base}/chart.tgz`),
    hint: expect.stringContaining("--ca-file"),
  });
});

test("a server stalling mid-body times out (idle), with TLS options too", async () => {
  const opts = getterOptions(`${base}/stall`, { ...client(), CAFile: files("server").cert });
  await expect(httpGet(`${base}/stall`, opts, 200)).rejects.toMatchObject({ code: "timeout", exitCode: 7 });
});

test("InsecureSkipVerifyTLS skips the server check; the client certificate is still sent", async () => {
  const bytes = await getUrl(`${base}/chart.tgz`, [], { ...client(), InsecureSkipVerifyTLS: true });
  expect(text(bytes)).toBe("chart for capstan-test-client (auth: none)");
});

test("the server refuses a missing or unknown client certificate", async () => {
  const ca = { CAFile: files("server").cert };
  await expect(getUrl(`${base}/chart.tgz`, [], ca)).rejects.toMatchObject({
    exitCode: 1,
    hint: expect.stringContaining("--cert-file"),
  });
  const stranger = { ...ca, CertFile: files("stranger").cert, KeyFile: files("stranger").key };
  await expect(getUrl(`${base}/chart.tgz`, [], stranger)).rejects.toMatchObject({ exitCode: 1 });
});

test("bad TLS options: missing files (exit 4) and a certificate without its key (exit 2); 404 is exit 4", async () => {
  const missing = join(dir, "nope.pem");
  await expect(getUrl(`${base}/chart.tgz`, [], { CAFile: missing })).rejects.toMatchObject({
    code: "tls-file",
    exitCode: 4,
    message: expect.stringContaining(missing),
  });
  await expect(getUrl(`${base}/chart.tgz`, [], { CertFile: files("client").cert })).rejects.toMatchObject({
    code: "tls-options",
    exitCode: 2,
  });
  await expect(
    getUrl(`${base}/missing.tgz`, [], { ...client(), CAFile: files("server").cert }),
  ).rejects.toMatchObject({ exitCode: 4, message: expect.stringContaining("404") });
});
