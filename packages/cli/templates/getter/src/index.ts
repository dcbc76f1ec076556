// __NAME__: a getter/v1 plugin. `__PROTOCOL__://host[:port]/path` is fetched as
// `https://host[:port]/path` (plain http when the host asks for it, and for localhost and
// 127.0.0.1 so tests need no certificates), with basic auth when the host passes a user name
// and password. Replace toHttpUrl with your own scheme.
import { defineGetter } from "@capstan/pdk";

/** The http(s) URL a __PROTOCOL__:// URL stands for. */
export function toHttpUrl(href: string, plainHttp = false): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]+)([^#]*)/.exec(href);
  if (!m) throw new Error(`__NAME__: ${href} is not a __PROTOCOL__://host/path URL`);
  const host = m[1]!;
  const loopback = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host);
  return `${plainHttp || loopback ? "http" : "https"}://${host}${m[2] || "/"}`;
}

export const helm_plugin_main = defineGetter(({ href, options }) => {
  const url = toHttpUrl(href, options.PlainHTTP === true);
  const headers: Record<string, string> = {};
  if (options.Username) headers.Authorization = `Basic ${btoa(`${options.Username}:${options.Password ?? ""}`)}`;
  if (options.UserAgent) headers["User-Agent"] = options.UserAgent;
  const res = Http.request({ url, method: "GET", headers });
  if (res.status < 200 || res.status > 299) {
    throw new Error(`__NAME__: GET ${url} returned HTTP ${res.status}`);
  }
  return new Uint8Array(res.bodyBytes);
});
