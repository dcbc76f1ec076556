// A registry token service in front of a real registry: requests without a valid bearer token
// get `401 WWW-Authenticate: Bearer realm=...,service=...,scope=...`; /token hands out
// tokens for basic credentials (Docker's token flow); valid requests are proxied unchanged.
import { randomBytes } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A running token proxy. */
export interface TokenProxy {
  host: string;
  /** Scopes tokens were issued for. */
  issued: string[];
  stop(): Promise<void>;
}

/** Starts the proxy for `registryHost` accepting `user`/`password`. */
export async function startTokenProxy(
  registryHost: string,
  user: string,
  password: string,
): Promise<TokenProxy> {
  const tokens = new Map<string, string[]>();
  const issued: string[] = [];
  let host = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${host}`);
    if (url.pathname === "/token") {
      const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "content-type": "application/json" }).end('{"errors":[{"code":"DENIED"}]}');
        return;
      }
      const token = randomBytes(16).toString("hex");
      const scopes = url.searchParams.getAll("scope");
      tokens.set(token, scopes);
      issued.push(...scopes);
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const repo = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1];
    const need = req.method === "GET" || req.method === "HEAD" ? "pull" : "push";
    // A token grants the actions of its scopes for their repositories, as a real token service does.
    const granted = (tokens.get(bearer ?? "") ?? []).some((sc) => {
      const [kind, name, actions] = sc.split(":");
      return kind === "repository" && name === repo && (actions ?? "").split(",").includes(need);
    });
    if (!granted && !(repo === undefined && tokens.has(bearer ?? ""))) {
      const actions = need === "pull" ? "pull" : "pull,push";
      const scope = repo ? `,scope="repository:${repo}:${actions}"` : "";
      res
        .writeHead(401, {
          "www-authenticate": `Bearer realm="http://${host}/token",service="capstan-test"${scope}`,
        })
        .end();
      return;
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    const [rh, rp] = registryHost.split(":");
    const upstream = request(
      { host: rh, port: Number(rp), method: req.method, path: req.url, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, issued, stop: () => new Promise((r) => server.close(() => r())) };
}
