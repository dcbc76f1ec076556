// Scaffold (plugin create) - see docs/cli.md. With the BUILT capstan: create each plugin type
// in a temp dir, compile it with `capstan plugin build` (the real compiler; no npm install: the
// compiler falls back to its own @capstan/pdk), run it through the CLI, run the project's own
// tests, package it, install the package and run it, and check the refusals.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { capstan, capstanBin, type Home, makeHome, requireBuild } from "./helpers.js";

const TYPES = ["cli", "getter", "postrenderer"] as const;
let home: Home;
let projects: string;
const dirOf = (t: string) => join(projects, `my-${t}`);

/** Runs a command to completion; resolves to its exit code and output. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b) => (out += b));
    child.stderr.on("data", (b) => (out += b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  requireBuild();
  home = makeHome();
  projects = join(home.root, "projects");
  for (const t of TYPES) {
    const r = await capstan(home, ["plugin", "create", "--type", t, `my-${t}`, "--dir", projects]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }
  // The three compiles in parallel (each ~1-3 s alone; the machine is shared).
  const builds = await Promise.all(
    TYPES.map((t) => capstan(home, ["plugin", "build", "--skip-opt"], { cwd: dirOf(t) })),
  );
  for (const b of builds) {
    expect(b).toMatchObject({ code: 0, stderr: "" });
    expect(b.stdout).toMatch(/\n {2}engine code \d+ KB, snapshot heap \d+ KB, other \d+ KB\n/);
    expect(b.stdout).toMatch(/\n {2}largest bundle inputs: \S+ \d+ KB/);
  }
  // Installed the way a developer links a local plugin: a symlink in the plugin home.
  for (const t of TYPES) symlinkSync(dirOf(t), join(home.plugins, `my-${t}`));
}, 180_000);
afterAll(() => home?.remove());

describe("plugin create", () => {
  test("writes a complete project: manifest, package.json (registry ranges), tsconfig, source, test, docs", () => {
    const files = [
      ".gitignore",
      ".helmignore",
      "README.md",
      "package.json",
      "plugin.yaml",
      "src/index.ts",
      "test/capstan.mjs",
      "test/plugin.test.mjs",
      "tsconfig.json",
    ];
    for (const t of TYPES) for (const f of files) expect(existsSync(join(dirOf(t), f))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dirOf("cli"), "package.json"), "utf8"));
    expect(pkg.dependencies).toEqual({ "@capstan/pdk": "^0.1.0" });
    expect(pkg.devDependencies["@capstan/cli"]).toBe("^0.1.0");
    expect(pkg.scripts.build).toBe("capstan plugin build");
    expect(pkg.scripts.package).toBe("capstan plugin build && capstan plugin package . -d dist");
    expect(existsSync(join(dirOf("cli"), "scripts"))).toBe(false);
    const tsconfig = JSON.parse(readFileSync(join(dirOf("cli"), "tsconfig.json"), "utf8"));
    expect(tsconfig.compilerOptions.types).toEqual(["@capstan/pdk"]);
    const source = readFileSync(join(dirOf("getter"), "src", "index.ts"), "utf8");
    expect(source).toContain("defineGetter");
    expect(source).not.toMatch(/__[A-Z_]+__/);
    expect(readFileSync(join(dirOf("getter"), "plugin.yaml"), "utf8")).toContain("protocols: [my-getter]");
  });

  test("the created plugins are listed with their types", async () => {
    const r = await capstan(home, ["plugin", "list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/my-cli\s+0\.1\.0\s+cli\/v1\s+v1/);
    expect(r.stdout).toMatch(/my-getter\s+0\.1\.0\s+getter\/v1\s+v1/);
    expect(r.stdout).toMatch(/my-postrenderer\s+0\.1\.0\s+postrenderer\/v1\s+v1/);
  });

  test("cli: `capstan my-cli` runs the compiled plugin (args, config, exit codes)", async () => {
    expect(await capstan(home, ["my-cli", "Ada", "--shout"])).toEqual({
      code: 0,
      stdout: "HELLO, ADA!\n",
      stderr: "",
    });
    const bad = await capstan(home, ["my-cli", "--nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown flag --nope");
  });

  test("postrenderer: `capstan postrender my-postrenderer` drops the named kinds", async () => {
    const input =
      "---\nkind: Secret\nmetadata: {name: a}\n---\n# empty\n---\nkind: Service\nmetadata: {name: b}\n";
    const r = await capstan(home, ["postrender", "my-postrenderer", "--", "--drop-kind", "Secret"], {
      input,
    });
    expect(r).toEqual({ code: 0, stdout: "---\nkind: Service\nmetadata: {name: b}\n", stderr: "" });
  });

  test("getter: `capstan pull my-getter://127.0.0.1:PORT/...` fetches through the plugin", async () => {
    const server: Server = createServer((req, res) => {
      res
        .writeHead(req.url === "/charts/web.tgz" ? 200 : 404)
        .end(req.url === "/charts/web.tgz" ? "chart bytes" : "");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const ok = await capstan(home, ["pull", `my-getter://127.0.0.1:${port}/charts/web.tgz`, "-o", "-"]);
      expect(ok).toEqual({ code: 0, stdout: "chart bytes", stderr: "" });
      const missing = await capstan(home, ["pull", `my-getter://127.0.0.1:${port}/nope.tgz`, "-o", "-"]);
      expect(missing.code).toBe(6);
      expect(missing.stderr).toContain("returned HTTP 404");
    } finally {
      server.close();
    }
  });

  test("the compiled postrenderer runs as Helm 3's --post-renderer (capstan helm3 post-renderer)", async () => {
    const script = join(home.root, "my-pr");
    const gen = await capstan(home, [
      "helm3",
      "post-renderer",
      "my-postrenderer",
      "-o",
      script,
      "--",
      "--drop-kind",
      "Secret",
    ]);
    expect(gen.code).toBe(0);
    // Helm 3: exec.Command(path, postRendererArgs...), manifests on stdin, no CAPSTAN_* set.
    const input = "---\nkind: Secret\n---\nkind: ConfigMap\n---\nkind: Service\n";
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(script, ["--drop-kind", "ConfigMap"], {
        env: { PATH: "/usr/bin:/bin", HOME: home.root },
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (b) => (out += b));
      child.stderr.on("data", (b) => (err += b));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, out, err }));
      child.stdin.end(input);
    });
    expect(r).toEqual({ code: 0, out: "---\nkind: Service\n", err: "" });
  });

  test("each project's own tests (node --test, through capstan) pass", async () => {
    const results = await Promise.all(
      TYPES.map((t) =>
        run(process.execPath, ["--test", "test/plugin.test.mjs"], dirOf(t), {
          ...home.env,
          CAPSTAN_BIN: capstanBin,
        }),
      ),
    );
    for (const r of results) {
      expect(r.out).toMatch(/# pass 3\n/);
      expect(r.code).toBe(0);
    }
  });

  test("`npm run package` rebuilds plugin.wasm, packs what .helmignore keeps, and the .tgz installs and runs", async () => {
    const dir = dirOf("cli");
    // A source change since the last build: the package must carry the new code, not a stale plugin.wasm.
    const index = join(dir, "src", "index.ts");
    const bang = '"world"}!`';
    expect(readFileSync(index, "utf8")).toContain(bang);
    writeFileSync(index, readFileSync(index, "utf8").replace(bang, '"world"}!!`'));
    // capstan on PATH, as node_modules/.bin provides it after npm install.
    const bin = join(home.root, "bin");
    mkdirSync(bin, { recursive: true });
    symlinkSync(capstanBin, join(bin, "capstan"));
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const pkg = await run(npm, ["run", "package"], dir, { ...home.env, PATH: `${bin}:${home.env.PATH}` });
    expect(pkg.out).toContain("Successfully packaged plugin");
    expect(pkg.code).toBe(0);
    const tgz = join(dir, "dist", "my-cli-0.1.0.tgz");
    expect(pkg.out).toContain(tgz);
    // The packed files are listed with sizes, and no warning: the project has a .helmignore.
    expect(pkg.out).toMatch(/\nplugin\.wasm {2}\d+\.\d [KM]B\n/);
    expect(pkg.out).toMatch(/\nTotal: 3 files, /);
    expect(pkg.out).not.toContain("warning:");
    // Only what the plugin needs: no sources, tests or node_modules.
    const list = await run("tar", ["tzf", tgz], dir, home.env);
    expect(list.out.split("\n").filter((l) => l !== "")).toEqual([
      "my-cli/",
      "my-cli/README.md",
      "my-cli/plugin.wasm",
      "my-cli/plugin.yaml",
    ]);
    const other = makeHome();
    try {
      const inst = await capstan(other, ["plugin", "install", tgz, "--verify=false"]);
      expect(inst.code).toBe(0);
      expect((await capstan(other, ["my-cli", "Linus"])).stdout).toBe("Hello, Linus!!\n");
    } finally {
      other.remove();
    }
  });

  test("inside a Capstan workspace the dependencies are workspace:*", async () => {
    const ws = join(home.root, "ws");
    mkdirSync(join(ws, "packages", "pdk"), { recursive: true });
    writeFileSync(join(ws, "pnpm-workspace.yaml"), "packages: [packages/*, plugins-examples/*]\n");
    writeFileSync(join(ws, "packages", "pdk", "package.json"), '{"name": "@capstan/pdk"}');
    const r = await capstan(home, [
      "plugin",
      "create",
      "-t",
      "postrenderer",
      "wsp",
      "--dir",
      join(ws, "plugins-examples"),
    ]);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ws, "plugins-examples", "wsp", "package.json"), "utf8"));
    expect(pkg.dependencies["@capstan/pdk"]).toBe("workspace:*");
  });

  test("refusals: bad name, existing dir, unknown or missing type, built-in name, bad protocol", async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["-t", "cli", "bad name"],
        /"bad name" is not a valid plugin name: plugin.yaml names use only letters/,
      ],
      [["-t", "cli", "my-cli"], /my-cli already exists; plugin create never overwrites files\nhint: /],
      [["-t", "webhook", "x"], /unknown plugin type "webhook" \(use cli, getter or postrenderer\)/],
      [["x"], /--type is required/],
      [["-t", "cli", "pull"], /"pull" is a built-in capstan command/],
      [["-t", "getter", "g", "--protocol", "https"], /"https" is built into the host/],
      [["-t", "getter", "g", "--protocol", "S3!"], /"s3!" is not a URL scheme|"S3!" is not a URL scheme/],
      [["-t", "cli", "c", "--protocol", "s3"], /--protocol is for --type getter only/],
      [["-t", "postrenderer", "--", "-dash"], /"-dash" starts with "-": it would be read as a flag/],
      [["-t", "cli", "c", "--dir", join(projects, "my-cli", "plugin.yaml")], /cannot create .*plugin\.yaml/],
    ];
    for (const [args, message] of cases) {
      const r = await capstan(home, ["plugin", "create", "--dir", projects, ...args]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\nhint: /);
      expect(r.code).toBe(2);
    }
    // Nothing was written for the refused names.
    for (const n of ["bad name", "x", "pull", "g", "c", "-dash"])
      expect(existsSync(join(projects, n))).toBe(false);
  });

  test("getter --protocol sets the served schemes (repeatable, comma lists)", async () => {
    const r = await capstan(home, [
      "plugin",
      "create",
      "-t",
      "getter",
      "multi",
      "--protocol",
      "s3,gs",
      "--protocol",
      "oss://",
      "--dir",
      projects,
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(projects, "multi", "plugin.yaml"), "utf8")).toContain(
      "protocols: [s3, gs, oss]",
    );
  });
});
