// Http, fetch/Headers/Request/Response, Event/EventTarget, DOMException, URLPattern, timers.
import { describe, expect, test } from "@jest/globals";
import { FakeHostTrap, type FakeHttpRequest, type FakeKernelOptions } from "../support/fake-kernel.js";
import { createRealm } from "../support/prelude-vm.js";

function echoServer(seen: FakeHttpRequest[]): NonNullable<FakeKernelOptions["http"]> {
  return (req: FakeHttpRequest) => {
    seen.push(req);
    if (req.url.endsWith("/binary"))
      return {
        status: 200,
        body: new Uint8Array([0, 255, 1, 2]),
        headers: { "Content-Type": "application/octet-stream" },
      };
    if (req.url.endsWith("/json"))
      return {
        status: 201,
        body: JSON.stringify({ ok: true }),
        headers: { "content-type": "application/json", "X-Multi": "a" },
      };
    return { status: 404, body: "not here: é", headers: {} as Record<string, string> };
  };
}

describe("Http.request", () => {
  test("sends method, headers and binary bodies as bytes; returns status, body text, headers", async () => {
    const seen: FakeHttpRequest[] = [];
    const r = await createRealm({ http: echoServer(seen) });
    const res = r.run<{ status: number; body: string; headers: Record<string, string> }>(
      `(() => { const r = Http.request({ url: "https://h/json", method: "post", headers: { "X-N": 5, b: true } }, new Uint8Array([1, 2, 250])); return { status: r.status, body: r.body, headers: r.headers }; })()`,
    );
    expect({ ...res, headers: { ...res.headers } }).toEqual({
      status: 201,
      body: '{"ok":true}',
      headers: { "content-type": "application/json", "x-multi": "a" },
    });
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.headers).toEqual({ "X-N": "5", b: "true" });
    expect(Array.from(seen[0]?.body ?? [])).toEqual([1, 2, 250]);
    r.run(`Http.request({ url: "https://h/x" }, "text é")`);
    expect(Buffer.from(seen[1]?.body ?? []).toString()).toBe("text é");
    expect(seen[1]?.method).toBe("GET");
    expect(r.run(`Array.from(new Uint8Array(Http.request({ url: "https://h/binary" }).bodyBytes))`)).toEqual([
      0, 255, 1, 2,
    ]);
    expect(r.run(`Http.request({ url: "https://h/missing" }).body`)).toBe("not here: é");
  });
  test("a host refusal ends the call: the plugin's catch cannot keep it going", async () => {
    // Hosts refuse HTTP with a trap (exit code 8); the compiler's kernel-contract test checks
    // that the engine behaves so, and the fake kernel models it.
    const r = await createRealm();
    expect(() =>
      r.run(`(() => { try { Http.request({ url: "https://denied" }); } catch (e) { return e.message; } })()`),
    ).toThrow(FakeHostTrap);
  });
});

describe("fetch", () => {
  test("GET/POST through Http.request with Response helpers", async () => {
    const seen: FakeHttpRequest[] = [];
    const r = await createRealm({ http: echoServer(seen) });
    const got = await r.runAsync(`(async () => {
      const a = await fetch("https://h/json", { method: "POST", body: JSON.stringify({ x: 1 }), headers: { "Content-Type": "application/json" } });
      const b = await fetch(new Request("https://h/binary"));
      const c = await fetch("https://h/missing");
      return [a.status, a.ok, await a.json(), a.headers.get("x-multi"), a.url, Array.from(new Uint8Array(await b.arrayBuffer())), c.status, c.ok, await c.text(), b.bodyUsed];
    })()`);
    expect(got).toEqual([
      201,
      true,
      { ok: true },
      "a",
      "https://h/json",
      [0, 255, 1, 2],
      404,
      false,
      "not here: é",
      true,
    ]);
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(Buffer.from(seen[0]?.body ?? []).toString()).toBe('{"x":1}');
  });
  test("failures reject with TypeError; a host refusal ends the call; bodies read once", async () => {
    const r = await createRealm();
    expect(
      await r.runAsync(`fetch("https://h/x", { body: "x" }).then(() => "ok", (e) => [e.name, e.message])`),
    ).toEqual(["TypeError", "fetch failed: Request with GET/HEAD method cannot have body."]);
    await expect(
      (await createRealm()).runAsync(`fetch("https://denied").then(() => "ok", (e) => [e.name, e.message])`),
    ).rejects.toThrow(FakeHostTrap);
    expect(
      await r.runAsync(
        `(async () => { const res = new Response("x"); await res.text(); return res.text().then(() => "again", (e) => e.name); })()`,
      ),
    ).toBe("TypeError");
  });
  test("Headers and Response behave like Node's", async () => {
    const r = await createRealm();
    const script = `(() => {
      const h = new Headers({ "Content-Type": "text/plain", "X-A": "1" });
      h.append("x-a", "2"); h.append("Set-Cookie", "a=1"); h.append("set-cookie", "b=2"); h.set("X-B", "  trimmed  ");
      const out = [h.get("x-a"), h.get("content-type"), h.has("X-B"), h.get("x-b"), JSON.stringify([...h]), JSON.stringify(h.getSetCookie())];
      h.delete("x-a"); out.push(h.has("x-a"));
      try { h.set("bad name", "v"); } catch (e) { out.push(e.name); }
      const r1 = Response.json({ a: 1 }, { status: 202 });
      out.push(r1.status, r1.headers.get("content-type"), new Response("t").headers.get("content-type"), new Response(null, { status: 204 }).ok);
      try { new Response("x", { status: 99 }); } catch (e) { out.push(e.name); }
      return out;
    })()`;
    const h = new Headers({ "Content-Type": "text/plain", "X-A": "1" });
    h.append("x-a", "2");
    h.append("Set-Cookie", "a=1");
    h.append("set-cookie", "b=2");
    h.set("X-B", "  trimmed  ");
    const out: unknown[] = [
      h.get("x-a"),
      h.get("content-type"),
      h.has("X-B"),
      h.get("x-b"),
      JSON.stringify([...h]),
      JSON.stringify(h.getSetCookie()),
    ];
    h.delete("x-a");
    out.push(h.has("x-a"));
    try {
      h.set("bad name", "v");
    } catch (e) {
      out.push((e as Error).name);
    }
    const r1 = Response.json({ a: 1 }, { status: 202 });
    out.push(
      r1.status,
      r1.headers.get("content-type"),
      new Response("t").headers.get("content-type"),
      new Response(null, { status: 204 }).ok,
    );
    try {
      new Response("x", { status: 99 });
    } catch (e) {
      out.push((e as Error).name);
    }
    expect(r.run(script)).toEqual(out);
  });
});

describe("events and errors", () => {
  test("EventTarget dispatch, once, handleEvent, removal, preventDefault", async () => {
    const r = await createRealm();
    const got = r.run(`(() => {
      const t = new EventTarget(); const log = [];
      const f = (e) => log.push("f:" + e.type);
      t.addEventListener("x", f); t.addEventListener("x", f);
      t.addEventListener("x", { handleEvent: (e) => log.push("obj") }, { once: true });
      t.addEventListener("y", (e) => e.preventDefault());
      t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x"));
      t.removeEventListener("x", f); t.dispatchEvent(new Event("x"));
      const ev = new Event("y", { cancelable: true }); const r = t.dispatchEvent(ev);
      return [log, r, ev.defaultPrevented, ev.target === t];
    })()`);
    expect(got).toEqual([["f:x", "obj", "f:x"], false, true, true]);
  });
  test("DOMException names, codes and Error inheritance match Node", async () => {
    const r = await createRealm();
    for (const name of ["AbortError", "DataCloneError", "NotSupportedError", "Custom"]) {
      const got = r.run(
        `(() => { const e = new DOMException("m", ${JSON.stringify(name)}); return [e.name, e.message, e.code, Object.prototype.toString.call(e), e instanceof Error]; })()`,
      );
      const e = new DOMException("m", name);
      // (Node's own DOMException comes from another realm than jest's Error: only ours is checked for instanceof)
      expect(got).toEqual([e.name, e.message, e.code, Object.prototype.toString.call(e), true]);
    }
  });
});

describe("AbortController and AbortSignal", () => {
  test("abort, reasons, events, any, timeout and fetch with an aborted signal behave like Node", async () => {
    const r = await createRealm({ http: () => ({ status: 200, body: "ok" }) });
    const got = await r.runAsync(`(async () => {
      const c = new AbortController(); const log = [];
      c.signal.addEventListener("abort", (e) => log.push(e.type));
      c.signal.onabort = () => log.push("onabort");
      const before = c.signal.aborted;
      c.abort(); c.abort("again");
      const r1 = [before, c.signal.aborted, c.signal.reason.name, c.signal.reason instanceof DOMException, log];
      const custom = AbortSignal.abort("why");
      let thrown; try { custom.throwIfAborted(); } catch (e) { thrown = e; }
      const c2 = new AbortController(); const any = AbortSignal.any([c2.signal, new AbortController().signal]);
      c2.abort("first");
      const t = AbortSignal.timeout(5); await new Promise((res) => setTimeout(res, 10));
      const f = await fetch("https://h/", { signal: AbortSignal.abort() }).then(() => "fetched", (e) => e.name);
      const g = await fetch("https://h/", { signal: new AbortController().signal }).then((res) => res.text());
      return [r1, thrown, any.aborted, any.reason, t.aborted, t.reason.name, f, g, Object.prototype.toString.call(c.signal)];
    })()`);
    const c = new AbortController();
    const log: string[] = [];
    c.signal.addEventListener("abort", (e) => log.push(e.type));
    c.signal.onabort = () => log.push("onabort");
    const before = c.signal.aborted;
    c.abort();
    c.abort("again");
    expect(got).toEqual([
      [before, true, (c.signal.reason as Error).name, true, log],
      "why",
      true,
      "first",
      true,
      "TimeoutError",
      "AbortError",
      "ok",
      "[object AbortSignal]",
    ]);
  });
});

describe("URLPattern (subset)", () => {
  test("named groups, regexps, wildcards, optional segments, base URLs", async () => {
    const r = await createRealm();
    const got = r.run(`(() => {
      const p = new URLPattern({ pathname: "/books/:id(\\\\d+)" });
      const q = new URLPattern("https://example.com/charts/:name/*");
      const o = new URLPattern({ pathname: "/a/:opt?" });
      const s = new URLPattern({ hostname: "{*.}?example.com" });
      return [
        p.test("https://x.org/books/123"), p.test("https://x.org/books/abc"), p.exec("https://x.org/books/42").pathname.groups.id,
        q.test("https://example.com/charts/nginx/1.2.3/x.tgz"), q.exec("https://example.com/charts/nginx/v1").pathname.groups, q.test("http://example.com/charts/a/b"),
        o.test({ pathname: "/a" }), o.test({ pathname: "/a/b" }), o.test({ pathname: "/a/b/c" }),
        s.test("https://cdn.example.com/"), s.test("https://example.com/"), s.test("https://example.org/"),
        new URLPattern({ pathname: "/CaSe" }, { ignoreCase: true }).test("https://h/case"),
        q.protocol, q.hostname, q.pathname, q.search,
      ];
    })()`);
    expect(got).toEqual([
      true,
      false,
      "42",
      true,
      { name: "nginx", "0": "v1" },
      false,
      true,
      true,
      false,
      true,
      true,
      false,
      true,
      "https",
      "example.com",
      "/charts/:name/*",
      "*",
    ]);
  });
});

describe("time and scheduling", () => {
  test("performance.now is monotonic; Date is the real clock", async () => {
    const r = await createRealm();
    const [a, b] = r.run<number[]>(`[performance.now(), performance.now()]`);
    expect(b).toBeGreaterThanOrEqual(a as number);
    const before = Date.now();
    const date = r.run<number>(`Date.now()`);
    const perf = r.run<number>(`performance.timeOrigin + performance.now()`);
    const after = Date.now();
    expect(date).toBeGreaterThanOrEqual(before);
    expect(date).toBeLessThanOrEqual(after);
    // timeOrigin + now() is a clock reading too (sub-millisecond, so compare whole milliseconds).
    expect(Math.floor(perf)).toBeGreaterThanOrEqual(date);
    expect(Math.floor(perf)).toBeLessThanOrEqual(after);
  });
  test("a timer sleeps until it is due (kernel.sleep), not past its own delay", async () => {
    const r = await createRealm();
    await r.runAsync(`new Promise((resolve) => setTimeout(resolve, 5000))`);
    expect(r.fake.sleeps.length).toBe(1);
    expect(r.fake.sleeps[0]).toBeGreaterThan(4000);
    expect(r.fake.sleeps[0]).toBeLessThanOrEqual(5000);
    await r.runAsync(`new Promise((resolve) => setTimeout(resolve, 0))`);
    expect(r.fake.sleeps.length).toBe(1);
  });
  test("queueMicrotask and timers run in order of due time", async () => {
    const r = await createRealm();
    const got = await r.runAsync(`new Promise((resolve) => {
      const log = [];
      // far from the interval's ticks: the fake's clock is real time plus the virtual sleeps, so a
      // late tick on a loaded machine must not reorder what the test is about
      setTimeout(() => log.push("t500"), 500);
      const cancelled = setTimeout(() => log.push("never"), 10);
      setTimeout((x) => log.push("t0:" + x), 0, "arg");
      queueMicrotask(() => log.push("micro"));
      clearTimeout(cancelled);
      let n = 0;
      const iv = setInterval(() => { log.push("iv" + n); if (++n === 2) clearInterval(iv); }, 20);
      setTimeout(() => resolve(log), 1000);
    })`);
    expect(got).toEqual(["micro", "t0:arg", "iv0", "iv1", "t500"]);
  });
});
