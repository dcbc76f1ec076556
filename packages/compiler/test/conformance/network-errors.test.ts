// Network failures reach the plugin as exceptions (issue 12.1): Http.request throws an Error
// with a code and fetch rejects with a TypeError for connection refused, DNS failures and
// per-request timeouts, and sandbox refusals carry their hint; only the call deadline ends the
// call. Real servers and a real closed port, in-process and in a worker.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type Built, buildFixture, cleanup, hostCall, hostRuntime } from "./support.js";

let b: Built;
let base = "";
let closed = "";
let stop: () => void = () => {};

const SERVER = `
const s = require("node:http").createServer((req, res) => {
  if (req.url === "/slow") { setTimeout(() => res.end("late"), 5000); return; }
  res.end("ok " + req.url);
});
s.listen(0, "127.0.0.1", () => process.stdout.write(s.address().port + "\\n"));
`;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  b = await buildFixture("net");
  const child = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  stop = () => child.kill();
  const port = await new Promise<string>((r) =>
    child.stdout.once("data", (d: Buffer) => r(d.toString().trim())),
  );
  base = `http://127.0.0.1:${port}`;
  closed = `http://127.0.0.1:${await closedPort()}`;
}, 60_000);

afterAll(() => {
  cleanup(b);
  stop();
});

const allowed = { allowedHosts: ["127.0.0.1", "*.invalid"] };
const json = async (r: Promise<Awaited<ReturnType<typeof hostCall>>>) => {
  const got = await r;
  if (!got.ok) throw new Error(got.error);
  return JSON.parse(got.text);
};

describe.each(["inline", "worker"] as const)("isolation %s", (isolation) => {
  test("Http.request: connection refused is a catchable Error naming the cause", async () => {
    const rt = await hostRuntime(b, allowed, undefined, { isolation });
    const r = await json(hostCall(rt, "httpTry", JSON.stringify({ url: `${closed}/x` })));
    expect(r).toMatchObject({ caught: true, name: "HttpError", code: "http", isError: true });
    expect(r.message).toBe(`plugin "conformance": GET ${closed}/x failed: connection refused (ECONNREFUSED)`);
    await rt.close();
  });

  test("fetch rejects with a TypeError; the plugin falls back to a mirror", async () => {
    const rt = await hostRuntime(b, allowed, undefined, { isolation });
    const r = await json(
      hostCall(rt, "fetchTry", JSON.stringify({ urls: [`${closed}/a`, `${base}/mirror`] })),
    );
    expect(r.status).toBe(200);
    expect(r.text).toBe("ok /mirror");
    expect(r.errors).toEqual([
      expect.objectContaining({
        name: "TypeError",
        isTypeError: true,
        message: `fetch failed: plugin "conformance": GET ${closed}/a failed: connection refused (ECONNREFUSED)`,
        cause: { name: "HttpError", code: "http" },
      }),
    ]);
    await rt.close();
  });
});

test("a DNS failure is catchable", async () => {
  const rt = await hostRuntime(b, allowed);
  const r = await json(hostCall(rt, "httpTry", JSON.stringify({ url: "http://no-such-host.invalid/" })));
  expect(r).toMatchObject({ caught: true, name: "HttpError", code: "http" });
  expect(r.message).toMatch(
    /^plugin "conformance": GET http:\/\/no-such-host\.invalid\/ failed: .*\(DNS\) \((ENOTFOUND|EAI_AGAIN)\)$/,
  );
});

test("a request's own timeoutMs is catchable and the call goes on; fetch's AbortSignal.timeout too", async () => {
  const rt = await hostRuntime(b, { ...allowed, timeoutMs: 20_000 });
  const r = await json(hostCall(rt, "httpTry", JSON.stringify({ url: `${base}/slow`, timeoutMs: 100 })));
  expect(r).toMatchObject({ caught: true, code: "http" });
  expect(r.message).toBe(
    `plugin "conformance": GET ${base}/slow failed: no answer within 100 ms (timeoutMs) (ETIMEDOUT)`,
  );
  const f = await json(hostCall(rt, "fetchTry", JSON.stringify({ urls: [`${base}/slow`], timeoutMs: 100 })));
  expect(f.errors).toEqual([expect.objectContaining({ name: "TimeoutError", isError: true })]);
});

test("a sandbox refusal is catchable and its message carries the hint", async () => {
  const rt = await hostRuntime(b, { allowedHosts: ["example.com"] });
  const r = await json(hostCall(rt, "httpTry", JSON.stringify({ url: `${base}/x` })));
  expect(r).toMatchObject({ caught: true, name: "HttpError", code: "http-denied" });
  expect(r.message).toBe(
    'plugin "conformance" tried to reach "127.0.0.1", which is not in runtimeConfig.allowedHosts' +
      ' (hint: if you trust the plugin, add "127.0.0.1" to runtimeConfig.allowedHosts in its plugin.yaml)',
  );
});

test("the call deadline still ends a call waiting for a slow server (not catchable)", async () => {
  const rt = await hostRuntime(b, { ...allowed, timeoutMs: 300 });
  const r = await hostCall(rt, "httpTry", JSON.stringify({ url: `${base}/slow` }));
  expect(r).toMatchObject({ ok: false, error: expect.stringContaining("did not finish within 300 ms") });
});
