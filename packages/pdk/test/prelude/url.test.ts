// URL / URLSearchParams in the prelude realm against Node's WHATWG implementation.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let realm: PluginRealm;
beforeAll(async () => {
  realm = await createRealm();
});

const PARTS = [
  "href",
  "origin",
  "protocol",
  "username",
  "password",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
] as const;

function inRealm(url: string, base?: string): Record<string, string> | string {
  return realm.run(
    `(() => { try { const u = new URL(${JSON.stringify(url)}${base === undefined ? "" : `, ${JSON.stringify(base)}`}); return JSON.parse(JSON.stringify({ ${PARTS.map((p) => `${p}: u.${p}`).join(", ")} })); } catch (e) { return e.name; } })()`,
  );
}

function inNode(url: string, base?: string): Record<string, string> | string {
  try {
    const u = new URL(url, base);
    return Object.fromEntries(PARTS.map((p) => [p, u[p]]));
  } catch (e) {
    return (e as Error).name;
  }
}

const absolute = [
  "https://example.com",
  "HTTPS://EXAMPLE.COM:443/a/b?c=d#e",
  "http://user:pa%20ss@host:8080/p/a/t/h?query=string#hash",
  "http://example.com/a/./b/../c/%2e%2E/d",
  "http://example.com/foo bar/<>\"`{}?q=a b'c#f g`",
  "http://[::1]:3000/x",
  "http://[2001:db8:0:0:1:0:0:1]/",
  "http://[::ffff:192.168.0.1]/",
  "http://192.168.0.1.:80/",
  "http://0x7f.1/",
  "http://2130706433/",
  "http://0300.0250.0.1/",
  "http://EXAMPLE.com./",
  "http://ex%41mple.com/",
  "http://münchen.de/ü?ü=ü#ü",
  "http://bücher.example/",
  "https://example.com:0443/",
  "http://example.com:65536/",
  "http://exa mple.com/",
  "http://[1:2:3]/",
  "http://256.0.0.1/",
  "http://a\\b\\c",
  "http:\\\\host\\path",
  "  http://trim.me/\t\n ",
  "ws://example.com:80/chat",
  "wss://example.com:443/",
  "ftp://ftp.example.com:21/file.txt",
  "file:///etc/passwd",
  "file://localhost/etc/hosts",
  "file:///C:/Windows/../System32",
  "file://C:/x",
  "file://h:80/",
  "file://u@h/",
  "mailto:someone@example.com?subject=hi",
  "data:text/plain;base64,SGVsbG8=",
  "urn:isbn:0451450523",
  "git+ssh://git@github.com/org/repo.git#v1.0",
  "oci://registry.example.com/charts/app",
  "s3://bucket/key/with spaces/and%20escape",
  "javascript:alert(1)",
  "foo://host/..//x",
  "foo:/a/../b",
  "foo://",
  "http://",
  "not a url",
  "http://a@b@c/",
  "http://:pass@host/",
  "https://example.com/?",
  "https://example.com/#",
  "https://example.com/path;params?x=%zz",
  "non-special://[1:2::3]:80/",
  "non-special://host:99999/",
];

const relative: Array<[string, string]> = [
  ["../c", "http://a/b/d/e"],
  ["./x?y#z", "http://a/b/c"],
  ["?q=1", "http://a/b/c?old#frag"],
  ["#new", "http://a/b/c?old#frag"],
  ["", "http://a/b/c?old#frag"],
  ["//other.host/p", "https://a/b"],
  ["/abs/path", "https://user@a:8443/b/c"],
  ["http:rel", "http://a/b/c"],
  ["https:rel", "http://a/b/c"],
  ["../../../..", "http://a/b/c/d"],
  ["x", "file:///a/b"],
  ["..", "file:///C:/"],
  ["#frag", "mailto:x@y"],
  ["other", "mailto:x@y"],
  ["b", "foo://h/a"],
  ["\\\\other\\p", "http://a/b"],
  ["rel", "not-a-base"],
  ["http:/user@host/a", "http://base.com/dir/file"],
  ["HTTP:/?q#f", "http://base.com/dir/file"],
  ["/\\/a/b?", "http://base.com/"],
  ["file:/C:/x?q", "file:///C:/dir/"],
  ["file:h:/a", "file:///C:/dir/"],
  ["////", "file:///C:/dir/"],
];

describe("URL parsing", () => {
  test.each(absolute)("absolute %s", (u) => {
    expect(inRealm(u)).toEqual(inNode(u));
  });
  test.each(relative)("relative %s against %s", (u, b) => {
    expect(inRealm(u, b)).toEqual(inNode(u, b));
  });
  test("canParse, parse, toJSON, toString", () => {
    expect(
      realm.run(`[URL.canParse("https://x"), URL.canParse("nope"), URL.canParse("/p", "https://x")]`),
    ).toEqual([true, false, true]);
    expect(realm.run(`URL.parse("nope")`)).toBeNull();
    expect(realm.run(`JSON.stringify({ u: new URL("https://x/y") })`)).toBe(
      JSON.stringify({ u: new URL("https://x/y") }),
    );
    expect(realm.run(`String(new URL("https://x/y"))`)).toBe("https://x/y");
    expect(realm.run(`Object.prototype.toString.call(new URL("https://x"))`)).toBe("[object URL]");
  });
});

describe("URL setters", () => {
  const cases: Array<[string, string, string]> = [
    ["https://a.com/p?q#h", "pathname", "/new path/../x"],
    ["https://a.com/p?q#h", "search", "?a=1&b= 2"],
    ["https://a.com/p?q#h", "search", ""],
    ["https://a.com/p?q#h", "hash", "frag ment"],
    ["https://a.com/p?q#h", "hash", ""],
    ["https://a.com/p", "host", "b.org:8080"],
    ["https://a.com:99/p", "hostname", "c.net"],
    ["https://a.com:99/p", "hostname", "c.net:8080"],
    ["https://a.com/p", "hostname", "[::1]"],
    ["https://a.com/p", "host", "[::1]:81/x"],
    ["https://a.com/p", "host", ""],
    ["https://a.com/p", "port", "443"],
    ["https://a.com/p", "port", "8443"],
    ["https://a.com:8443/p", "port", ""],
    ["https://a.com/p", "port", "abc"],
    ["https://a.com/p", "username", "us er"],
    ["https://a.com/p", "password", "p@ss"],
    ["https://a.com/p", "protocol", "http"],
    ["https://a.com/p", "protocol", "foo"],
    ["https://a.com/p", "href", "http://other/"],
    ["foo://h/p", "pathname", "x/y"],
  ];
  test.each(cases)("%s .%s = %s", (u, prop, value) => {
    const got = realm.run(
      `(() => { const u = new URL(${JSON.stringify(u)}); u.${prop} = ${JSON.stringify(value)}; return u.href; })()`,
    );
    const n = new URL(u);
    (n as unknown as Record<string, string>)[prop] = value;
    expect(got).toBe(n.href);
  });
});

describe("URLSearchParams", () => {
  test("parses and serializes like Node", () => {
    for (const q of [
      "a=1&b=2&a=3",
      "?x=%20y+z&empty=&flag",
      "k=%E2%82%AC&%zz=1",
      "a=b=c&&=x",
      "ü=ö&sp ace=1",
    ]) {
      expect(realm.run(`new URLSearchParams(${JSON.stringify(q)}).toString()`)).toBe(
        new URLSearchParams(q).toString(),
      );
      expect(realm.run(`JSON.stringify([...new URLSearchParams(${JSON.stringify(q)})])`)).toBe(
        JSON.stringify([...new URLSearchParams(q)]),
      );
    }
  });
  test("methods behave like Node", () => {
    const script = `(() => {
      const p = new URLSearchParams([["b", "2"], ["a", "1"], ["b", "3"]]);
      const out = [];
      p.append("c", "x y&z");
      out.push(p.get("b"), JSON.stringify(p.getAll("b")), p.has("a"), p.has("b", "3"), p.has("b", "9"), p.size);
      p.set("b", "9");
      out.push(p.toString());
      p.delete("a");
      p.sort();
      out.push(p.toString(), JSON.stringify([...p.keys()]), JSON.stringify([...p.values()]));
      const o = new URLSearchParams({ x: "1", y: "é" });
      out.push(o.toString(), new URLSearchParams(o).toString(), p.get("missing"));
      return out;
    })()`;
    const p = new URLSearchParams([
      ["b", "2"],
      ["a", "1"],
      ["b", "3"],
    ]);
    const out: unknown[] = [];
    p.append("c", "x y&z");
    out.push(p.get("b"), JSON.stringify(p.getAll("b")), p.has("a"), p.has("b", "3"), p.has("b", "9"), p.size);
    p.set("b", "9");
    out.push(p.toString());
    p.delete("a");
    p.sort();
    out.push(p.toString(), JSON.stringify([...p.keys()]), JSON.stringify([...p.values()]));
    const o = new URLSearchParams({ x: "1", y: "é" });
    out.push(o.toString(), new URLSearchParams(o).toString(), p.get("missing"));
    expect(realm.run(script)).toEqual(out);
  });
  test("URL.searchParams is live both ways", () => {
    const got = realm.run(`(() => {
      const u = new URL("https://a/p?x=1#h");
      u.searchParams.append("y", "2 3");
      const h1 = u.href;
      u.search = "?z=9";
      const z = u.searchParams.get("z");
      u.searchParams.delete("z");
      return [h1, z, u.href];
    })()`);
    expect(got).toEqual(["https://a/p?x=1&y=2+3#h", "9", "https://a/p#h"]);
  });
});
