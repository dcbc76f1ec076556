// Seeded random comparisons with Node's implementations: URL parsing over combinations of
// URL pieces, TextDecoder over random bytes, atob over random strings.
import { beforeAll, expect, test } from "@jest/globals";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let realm: PluginRealm;
beforeAll(async () => {
  realm = await createRealm();
});

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

// Known places where Node 20's URL parser (ada) departs from the WHATWG standard; skipped.
const adaQuirk = (u: string, b: string | undefined) =>
  b?.startsWith("mailto:") ||
  /^file:.*[A-Za-z]:[^/]*\/(%2e%2E|\.\.)/i.test(u) ||
  /^(?!https?:|wss?:|ftp:|file:)[a-z0-9]+:\/\/[^?#]*\/\.\.(?:[?#]|$)/i.test(u);

test("URL matches Node on 3000 random combinations of URL pieces", () => {
  const r = rng(42);
  const schemes = ["http:", "https:", "file:", "ws:", "foo:", "mailto:", "HTTP:", "s3:", ""];
  const seps = ["//", "/", "", "\\\\", "///", "/\\"];
  const auths = [
    "",
    "a",
    "user@host",
    "u:p@h",
    "h:80",
    "h:",
    "[::1]",
    "[::1]:8",
    "1.2.3.4",
    "0x10.1",
    "EXAMPLE.com",
    "ex ample",
    "ä.com",
    "h%41",
    "%zz",
    "@h",
    "a:b:c@d",
    "h:65536",
    "256.1",
    "h.com.",
  ];
  const paths = [
    "",
    "/",
    "/a/b",
    "/a/../b",
    "/./a",
    "/%2e%2E/",
    "/a b",
    "/ä",
    "//x",
    "/a/..",
    "/C:/x",
    "/a\\b",
    "/%41",
    "/{}|",
  ];
  const rest = ["", "?", "?a=1&b", "?a b'c", "#", "#f g", "?q#f", "?ä#ä"];
  const bases = [undefined, "http://base.com/dir/file?q#f", "file:///C:/dir/", "foo://h/p/q"];
  const cases: Array<[string, string | undefined]> = [];
  while (cases.length < 3000) {
    const u = pick(r, schemes) + pick(r, seps) + pick(r, auths) + pick(r, paths) + pick(r, rest);
    const b = pick(r, bases);
    if (!adaQuirk(u, b)) cases.push([u, b]);
  }
  const parts = [
    "href",
    "protocol",
    "username",
    "password",
    "host",
    "hostname",
    "port",
    "pathname",
    "search",
    "hash",
    "origin",
  ] as const;
  const ours = realm.run<(u: string, b?: string) => string>(
    `(u, b) => { try { const x = new URL(u, b); return JSON.stringify(${JSON.stringify(parts)}.map((p) => x[p])); } catch { return "ERR"; } }`,
  );
  const node = (u: string, b?: string) => {
    try {
      const x = new URL(u, b);
      return JSON.stringify(parts.map((p) => x[p]));
    } catch {
      return "ERR";
    }
  };
  const diffs = cases.filter(([u, b]) => ours(u, b) !== node(u, b));
  expect(diffs).toEqual([]);
});

test("TextDecoder matches Node on random bytes (replacement and fatal)", () => {
  const r = rng(7);
  const decode = realm.run<(b: number[], fatal: boolean) => string>(
    `(b, fatal) => { try { return new TextDecoder("utf-8", { fatal }).decode(new Uint8Array(b)); } catch (e) { return e.name; } }`,
  );
  const interesting = [
    0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0,
    0x8f, 0x90,
  ];
  for (let i = 0; i < 2000; i++) {
    const bytes = Array.from({ length: 1 + Math.floor(r() * 8) }, () =>
      r() < 0.7 ? pick(r, interesting) : Math.floor(r() * 256),
    );
    for (const fatal of [false, true]) {
      let want: string;
      try {
        want = new TextDecoder("utf-8", { fatal }).decode(new Uint8Array(bytes));
      } catch (e) {
        want = (e as Error).name;
      }
      expect([bytes, fatal, decode(bytes, fatal)]).toEqual([bytes, fatal, want]);
    }
  }
});

test("atob matches Node on random strings", () => {
  const r = rng(3);
  const atob2 = realm.run<(s: string) => string>(
    `(s) => { try { return atob(s); } catch (e) { return e.name; } }`,
  );
  const alphabet = "AQgw+/=\t\n -_a9Z*";
  for (let i = 0; i < 3000; i++) {
    const s = Array.from({ length: Math.floor(r() * 10) }, () => pick(r, [...alphabet])).join("");
    let want: string;
    try {
      want = atob(s);
    } catch (e) {
      want = (e as Error).name;
    }
    expect([s, atob2(s)]).toEqual([s, want]);
  }
});
