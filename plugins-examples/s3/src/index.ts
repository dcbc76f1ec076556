// The plugin entry: getter/v1 for s3:// URLs. Settings come from plugin config and the allowed
// environment (runtimeConfig.env: the usual AWS_* variables); the signed GET goes out through
// the Extism HTTP API, so only runtimeConfig.allowedHosts are reachable.
import { defineGetter } from "@capstan/pdk";
import { buildGet, interpretResponse, settingsFrom } from "./core/s3-request.js";

export const helm_plugin_main = defineGetter(async ({ href }) => {
  const settings = settingsFrom(
    (key) => Config.get(key),
    (name) => process.env[name],
  );
  const req = await buildGet(href, settings, new Date());
  // The host header is signed as the URL's host, which is what the HTTP client sends.
  const { host: _host, ...headers } = req.headers;
  const res = Http.request({ url: req.url, method: "GET", headers });
  return interpretResponse(href, res.status, new Uint8Array(res.bodyBytes), settings);
});
