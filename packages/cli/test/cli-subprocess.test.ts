// Subprocess plugins through the CLI: Helm 3 (legacy) and v1 sh plugins as cli, getter and
// post-renderer, and the built-in http(s) getter against a local server.

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { alive } from "../../host/test/subprocess-helpers.js";
import { capstan, capstanBin, type Home, makeHome, requireBuild, sanitize, writePlugin } from "./helpers.js";

let home: Home;
let server: Server;
let base = "";
const seen: Record<string, string | undefined>[] = [];

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  writePlugin(
    home,
    "greet",
    'name: greet\nversion: 0.1.0\nusage: "greets"\ncommand: "$HELM_PLUGIN_DIR/run.sh --from=$HELM_PLUGIN_NAME"\n',
    {
      "run.sh":
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script's ${EXIT:-0}
        '#!/bin/sh\necho "args: $*"\necho "ns=$HELM_NAMESPACE ctx=$HELM_KUBECONTEXT kubeconfig=$KUBECONFIG debug=$HELM_DEBUG bin=$HELM_BIN"\nexit "${EXIT:-0}"\n',
    },
  );
  writePlugin(
    home,
    "quiet",
    'name: quiet\nversion: 0.1.0\nignoreFlags: true\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n',
    {
      "run.sh": '#!/bin/sh\necho "quiet got $# args"\n',
    },
  );
  writePlugin(
    home,
    "v1cli",
    "apiVersion: v1\nname: v1cli\nversion: 1.0.0\ntype: cli/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - os: plan9\n      command: /bin/false\n    - command: $HELM_PLUGIN_DIR/run.sh\n      args: [first]\n",
    { "run.sh": '#!/bin/sh\nread line\necho "stdin=$line args=$*"\n' },
  );
  writePlugin(
    home,
    "s3get",
    "name: s3get\nversion: 1.0.0\ndownloaders:\n  - protocols: [s3, http]\n    command: get.sh\n",
    {
      "get.sh": '#!/bin/sh\nprintf "content of %s (cert=[%s])\\n" "$4" "$1"\n',
    },
  );
  writePlugin(
    home,
    "label",
    "apiVersion: v1\nname: label\nversion: 1.0.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: $HELM_PLUGIN_DIR/label.sh\n",
    { "label.sh": '#!/bin/sh\necho "# label $*"\ncat\n' },
  );
  writePlugin(
    home,
    "blank",
    "apiVersion: v1\nname: blank\nversion: 1.0.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: $HELM_PLUGIN_DIR/blank.sh\n",
    { "blank.sh": "#!/bin/sh\ncat >/dev/null\necho '   '\n" },
  );
  writePlugin(home, "ctrl-c", 'name: ctrl-c\nversion: 0.1.0\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n', {
    // Like Ctrl-C in a terminal reaching capstan: capstan must outlive it and exit with the plugin.
    "run.sh": '#!/bin/sh\nkill -INT $PPID\nsleep 0.3\necho "still here"\nexit 42\n',
  });
  writePlugin(
    home,
    "hang",
    "apiVersion: v1\nname: hang\nversion: 1.0.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: sh\n      args: [-c, 'sleep 600 & echo $! > \"$HELM_PLUGIN_DIR/child.pid\"; sleep 600']\n",
  );
  server = createServer((req, res) => {
    seen.push({ url: req.url, auth: req.headers.authorization, ua: req.headers["user-agent"] });
    if (req.url === "/charts/app-1.0.0.tgz") res.end("chart bytes\n");
    else {
      res.statusCode = 404;
      res.end("no");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  home.remove();
  await new Promise((r) => server.close(r));
});

test("legacy cli plugin: args, global flags taken out into HELM_* variables and KUBECONFIG", async () => {
  const r = await capstan(
    home,
    ["greet", "a", "-n", "ns1", "b c", "--kube-context=k1", "--kubeconfig", "/flag/kc", "--debug", "--other"],
    { env: { KUBECONFIG: "/env/kc", HELM_KUBECONTEXT: "env-ctx" } },
  );
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    `args: --from=greet a b c --other\nns=ns1 ctx=k1 kubeconfig=/flag/kc debug=true bin=${capstanBin}\n`,
  );
  // Without the flags, the user's environment passes through.
  expect(
    (await capstan(home, ["greet"], { env: { KUBECONFIG: "/env/kc", HELM_KUBECONTEXT: "env-ctx" } })).stdout,
  ).toBe(`args: --from=greet\nns=default ctx=env-ctx kubeconfig=/env/kc debug=false bin=${capstanBin}\n`);
});

test("a cli plugin's exit code is passed through", async () => {
  const r = await capstan(home, ["greet"], { env: { EXIT: "42" } });
  expect(r.code).toBe(42);
  expect(r.stderr).toBe("");
});

test("ignoreFlags: the plugin gets no arguments", async () => {
  expect((await capstan(home, ["quiet", "x", "--y"])).stdout).toBe("quiet got 0 args\n");
});

test("v1 subprocess cli plugin: platformCommand chosen for this platform, stdin is the user's", async () => {
  const r = await capstan(home, ["v1cli", "more"], { input: "from stdin\n" });
  expect(r).toEqual({ code: 0, stdout: "stdin=from stdin args=first more\n", stderr: "" });
});

test("pull with a legacy downloader: cmd certFile keyFile caFile href, stdout is the content", async () => {
  const r = await capstan(home, ["pull", "s3://bucket/charts/app-1.0.0.tgz", "-d", home.root]);
  expect(r.code).toBe(0);
  expect(sanitize(home, r.stderr)).toBe(
    "pulled s3://bucket/charts/app-1.0.0.tgz to <HOME>/app-1.0.0.tgz (54 bytes)\n",
  );
  expect(readFileSync(join(home.root, "app-1.0.0.tgz"), "utf8")).toBe(
    "content of s3://bucket/charts/app-1.0.0.tgz (cert=[])\n",
  );
});

test("pull over http uses the built-in getter even when a plugin claims http", async () => {
  const r = await capstan(home, [
    "pull",
    `${base}/charts/app-1.0.0.tgz`,
    "-o",
    "-",
    "--username",
    "u",
    "--password",
    "p",
  ]);
  expect(r).toEqual({ code: 0, stdout: "chart bytes\n", stderr: "" });
  expect(seen.at(-1)).toEqual({
    url: "/charts/app-1.0.0.tgz",
    auth: `Basic ${Buffer.from("u:p").toString("base64")}`,
    ua: "Capstan",
  });
  const missing = await capstan(home, ["pull", `${base}/nope.tgz`]);
  expect(missing.code).toBe(4);
  expect(sanitize(home, missing.stderr).replace(base, "<BASE>")).toBe(
    "error: GET <BASE>/nope.tgz: 404 Not Found\nhint: check the URL\n",
  );
});

test("pull with no getter for the scheme: exit 4 and a hint", async () => {
  const r = await capstan(home, ["pull", "gs://b/x.tgz"]);
  expect(r.code).toBe(4);
  expect(r.stderr).toMatchSnapshot();
});

test("postrender chains plugins in order and passes --args to each", async () => {
  const r = await capstan(home, ["postrender", "label", "label", "--args", "x,y"], { input: "kind: A\n" });
  expect(r).toEqual({ code: 0, stdout: "# label x y\n# label x y\nkind: A\n", stderr: "" });
});

test("postrender as Helm 3's --post-renderer executable (args then manifests on stdin)", async () => {
  // Helm 3 runs: <executable> <--post-renderer-args...> with the manifests piped on stdin.
  const r = await capstan(home, ["postrender", "label"], { input: "a: 1\n" });
  expect(r.stdout).toBe("# label \na: 1\n");
});

test("postrender: whitespace-only output, unknown and wrong-type plugins are errors", async () => {
  const blank = await capstan(home, ["postrender", "label", "blank"], { input: "a: 1\n" });
  expect(blank.code).toBe(6);
  expect(blank.stderr).toMatch(/^error: post-renderer "blank" returned no manifests/);
  const unknown = await capstan(home, ["postrender", "nope"], { input: "a: 1\n" });
  expect(unknown.code).toBe(4);
  const wrong = await capstan(home, ["postrender", "greet"], { input: "a: 1\n" });
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('plugin "greet"');
});

test("postrender: arguments after -- go to every plugin", async () => {
  const r = await capstan(home, ["postrender", "label", "--args", "a", "--", "--x", "y"], {
    input: "k: v\n",
  });
  expect(r).toEqual({ code: 0, stdout: "# label a --x y\nk: v\n", stderr: "" });
});

test("SIGINT to capstan while an interactive plugin runs: capstan waits and exits with the plugin's status", async () => {
  expect(await capstan(home, ["ctrl-c"])).toEqual({ code: 42, stdout: "still here\n", stderr: "" });
});

test("postrender --timeout: a hanging plugin is killed (with its children) and capstan exits 7", async () => {
  const r = await capstan(home, ["postrender", "hang", "--timeout", "300ms"], { input: "a: 1\n" });
  expect(r.code).toBe(7);
  expect(r.stderr).toMatch(
    /^error: plugin "hang" timed out after 300 ms; its process group was killed\nhint: /,
  );
  // The plugin's child went with it (its sleep outlasts jest's test timeout otherwise).
  const child = Number(readFileSync(join(home.plugins, "hang", "child.pid"), "utf8"));
  while (alive(child)) await new Promise((r) => setTimeout(r, 20));
  expect(alive(child)).toBe(false);
});
