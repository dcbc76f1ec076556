// URLPattern (subset) against urlpattern-polyfill (the reference implementation used by the
// js-pdk, here only as a test oracle): pattern getters and exec() groups for each input.
import { beforeAll, expect, test } from "@jest/globals";
import { URLPattern as Reference } from "urlpattern-polyfill/urlpattern";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let realm: PluginRealm;
beforeAll(async () => {
  realm = await createRealm();
});

type Input = string | Record<string, string>;
type Case = [pattern: Input, inputs: string[], base?: string, options?: { ignoreCase?: boolean }];

const cases: Case[] = [
  [
    { pathname: "/books/:id" },
    ["https://x.org/books/123", "https://x.org/books/", "https://x.org/books/1/2"],
  ],
  [{ pathname: "/books/:id(\\d+)" }, ["https://x.org/books/123", "https://x.org/books/abc"]],
  [
    "https://example.com/charts/:name/*",
    [
      "https://example.com/charts/nginx/1.2.3/x.tgz",
      "http://example.com/charts/a/b",
      "https://example.com/charts/a/b?x=1#y",
    ],
  ],
  [{ pathname: "/a/:opt?" }, ["https://h/a", "https://h/a/b", "https://h/a/b/c", "https://h/a/"]],
  [
    { hostname: "{*.}?example.com" },
    ["https://cdn.example.com/", "https://example.com/", "https://a.b.example.com/", "https://example.org/"],
  ],
  [{ pathname: "/files/:path+" }, ["https://h/files/a", "https://h/files/a/b/c", "https://h/files/"]],
  [{ pathname: "/files/:path*" }, ["https://h/files", "https://h/files/a/b"]],
  [{ pathname: "/*.png" }, ["https://h/img/a.png", "https://h/a.jpg"]],
  [{ pathname: "/(foo|bar)/:x" }, ["https://h/foo/1", "https://h/baz/1"]],
  [{ pathname: "/CaSe" }, ["https://h/case", "https://h/CaSe"], undefined, { ignoreCase: true }],
  [{ search: "q=:query" }, ["https://h/?q=hello", "https://h/?r=1"]],
  [{ protocol: "http{s}?" }, ["http://h/", "https://h/", "ftp://h/"]],
  [{ port: "(80|8080)" }, ["http://h:8080/", "http://h/", "http://h:81/"]],
  ["/api/:version/*", ["https://h/api/v1/users"], "https://h"],
  [{ pathname: "/api/*", baseURL: "https://h" }, ["https://h/api/x", "https://other/api/x"]],
  ["https://*.example.com/*", ["https://a.example.com/x", "https://example.com/x"]],
  [{ hash: "section-:n" }, ["https://h/#section-2", "https://h/#other"]],
  [{ pathname: "/blog/:year(\\d{4})/:slug" }, ["https://h/blog/2024/hello", "https://h/blog/24/hello"]],
  [{ username: ":user", hostname: "h" }, ["https://alice@h/", "https://h/"]],
  ["https://h/a{/b}?", ["https://h/a", "https://h/a/b", "https://h/a/c"]],
  [{ pathname: "/café/:x" }, ["https://h/caf%C3%A9/1"]],
  [{ pathname: "/a/:b.:ext" }, ["https://h/a/file.txt"]],
  [{ pathname: "/:a-:b" }, ["https://h/x-y"]],
  ["https://h/path?query=:q#frag", ["https://h/path?query=1#frag"]],
  [{ hostname: ":sub.example.com" }, ["https://api.example.com/"]],
];

const COMPONENTS = [
  "protocol",
  "username",
  "password",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
] as const;

function describePattern(
  P: new (...a: unknown[]) => Record<string, unknown>,
  [pattern, inputs, base, options]: Case,
): unknown {
  try {
    const pat = base === undefined ? new P(pattern, options) : new P(pattern, base, options);
    return {
      components: COMPONENTS.map((c) => pat[c]),
      results: inputs.map((i) => {
        const r = (
          pat.exec as (i: string) => Record<string, { input: string; groups: Record<string, unknown> }> | null
        )(i);
        return r && COMPONENTS.map((c) => [r[c]?.input, { ...r[c]?.groups }]);
      }),
    };
  } catch (e) {
    return `ERR ${(e as Error).name}`;
  }
}

test.each(cases.map((c) => [JSON.stringify(c[0]), c] as const))("%s", (_name, c) => {
  const ours = realm.run<new (...a: unknown[]) => Record<string, unknown>>("URLPattern");
  const got = JSON.parse(JSON.stringify(describePattern(ours, c)));
  expect(got).toEqual(
    describePattern(Reference as unknown as new (...a: unknown[]) => Record<string, unknown>, c),
  );
});
