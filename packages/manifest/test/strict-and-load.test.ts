// Warnings vs --strict, loadManifest's file handling, and parseManifest on inline text.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExitCode, loadManifest, MAX_MANIFEST_BYTES, ManifestError, parseManifest } from "@capstan/manifest";
import { expect, test } from "@jest/globals";

const typoDir = fileURLToPath(new URL("./fixtures/good/unknown-runtime-config-key", import.meta.url));

test("unknown runtimeConfig keys are warnings naming the key and line", async () => {
  const { warnings } = await loadManifest(typoDir);
  const file = join(typoDir, "plugin.yaml");
  expect(warnings).toEqual([
    {
      code: "unknown-runtime-config-key",
      message: `${file}:8:3: runtimeConfig.allowedHost: unknown key, ignored (Helm ignores it too)`,
      file,
      line: 8,
      column: 3,
      key: "runtimeConfig.allowedHost",
      hint: expect.stringContaining('did you mean "allowedHosts"?'),
    },
    {
      code: "unknown-runtime-config-key",
      message: `${file}:10:5: runtimeConfig.memory.maxPage: unknown key, ignored (Helm ignores it too)`,
      file,
      line: 10,
      column: 5,
      key: "runtimeConfig.memory.maxPage",
      hint: expect.stringContaining('did you mean "maxPages"?'),
    },
  ]);
});

test("strict turns the first unknown runtimeConfig key into an error", async () => {
  const e = (await loadManifest(typoDir, { strict: true }).catch((x: unknown) => x)) as ManifestError;
  expect(e).toBeInstanceOf(ManifestError);
  expect(e.code).toBe("unknown-runtime-config-key");
  expect(e.message).toBe(
    `${join(typoDir, "plugin.yaml")}:8:3: runtimeConfig.allowedHost: unknown key, ignored (Helm ignores it too)`,
  );
  expect(e.exitCode).toBe(ExitCode.manifest);
});

test("unknown subprocess runtimeConfig keys warn too", () => {
  const text = [
    "apiVersion: v1",
    "name: x",
    "version: 1.0.0",
    "type: cli/v1",
    "runtime: subprocess",
    "runtimeConfig:",
    "  expandHookArgs: true",
    "  platformCommand:",
    "    - command: bin/x",
    "      shell: bash",
  ].join("\n");
  const { warnings, manifest } = parseManifest(text, "plugin.yaml");
  expect(warnings.map((w) => w.message)).toEqual([
    "plugin.yaml:7:3: runtimeConfig.expandHookArgs: unknown key, ignored (Helm ignores it too)",
    "plugin.yaml:10:7: runtimeConfig.platformCommand[0].shell: unknown key, ignored (Helm ignores it too)",
  ]);
  expect(manifest.subprocess?.platformCommand).toEqual([{ command: "bin/x", args: [] }]);
  expect(() => parseManifest(text, "plugin.yaml", { strict: true })).toThrow(
    "plugin.yaml:7:3: runtimeConfig.expandHookArgs: unknown key",
  );
});

test("a directory without plugin.yaml is a clear error naming the directory", async () => {
  const dir = mkdtempSync(join(tmpdir(), "capstan-manifest-"));
  try {
    const e = (await loadManifest(dir).catch((x: unknown) => x)) as ManifestError;
    expect(e).toBeInstanceOf(ManifestError);
    expect(e.code).toBe("missing-plugin-yaml");
    expect(e.message).toBe(`${join(dir, "plugin.yaml")}: no plugin.yaml in ${dir}`);
    expect(e.exitCode).toBe(ExitCode.manifest);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("aliases resolve and numbers in string fields keep their source text", () => {
  const text = [
    "apiVersion: v1",
    "name: x",
    "version: 1.0.0",
    "type: cli/v1",
    "runtime: extism/v1",
    "runtimeConfig:",
    "  config: &cfg",
    "    retries: 007",
    "    ratio: 1.50",
    "  hostFunctions: [a]",
    "  allowedHosts: *h",
  ].join("\n");
  // *h has no anchor: a positioned YAML error, not a crash.
  expect(() => parseManifest(text, "p.yaml")).toThrow(/^p\.yaml:11:17: invalid YAML: Unresolved alias/);
  const ok = `${text.replace("*h", "&h [api.example.com]")}\nsourceURL: https://example.com/x\n`;
  const { manifest } = parseManifest(ok, "p.yaml");
  expect(manifest.extism?.config).toEqual({ retries: "007", ratio: "1.50" });
  expect(manifest.extism?.allowedHosts).toEqual(["api.example.com"]);
  // An alias resolves to its anchored node.
  const aliased = ok
    .replace("  hostFunctions: [a]", "  hostFunctions: [a]\n  env: &e [HOME]\n  memory: {}")
    .replace("sourceURL: https://example.com/x", "sourceURL: https://example.com/x\nconfig:\n  usage: *e");
  expect(() => parseManifest(aliased, "p.yaml")).toThrow("p.yaml:16:10: config.usage: must be a string");
});

test("config: null and runtimeConfig: null mean defaults", () => {
  const text =
    "apiVersion: v1\nname: x\nversion: 1.0.0\ntype: cli/v1\nruntime: extism/v1\nconfig:\nruntimeConfig: ~\n";
  const { manifest } = parseManifest(text, "plugin.yaml");
  expect(manifest.cli?.usage).toBe("x");
  expect(manifest.extism?.entryFuncName).toBe("helm_plugin_main");
});

test("apiVersion: '' is legacy", () => {
  const { manifest } = parseManifest(
    'apiVersion: ""\nname: x\nversion: 1.0.0\ncommand: bin/x\n',
    "plugin.yaml",
  );
  expect(manifest.apiVersion).toBe("legacy");
});

test("a Windows-style command string splits on spaces, like Helm", () => {
  const { manifest } = parseManifest("name: x\nversion: 1.0.0\ncommand: 'a  b   c'\n", "plugin.yaml");
  expect(manifest.subprocess?.platformCommand).toEqual([{ command: "a", args: ["b", "c"] }]);
});

test("a plugin.yaml that is a directory or huge is refused clearly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "capstan-manifest-"));
  try {
    mkdirSync(join(dir, "plugin.yaml"));
    const e = (await loadManifest(dir).catch((x: unknown) => x)) as ManifestError;
    expect(e.code).toBe("unreadable-plugin-yaml");
    expect(e.message).toMatch(/plugin\.yaml: cannot read plugin\.yaml: EISDIR/);
    rmSync(join(dir, "plugin.yaml"), { recursive: true });
    writeFileSync(join(dir, "plugin.yaml"), `name: x\nversion: 1.0.0\n#${"x".repeat(MAX_MANIFEST_BYTES)}\n`);
    const big = (await loadManifest(dir).catch((x: unknown) => x)) as ManifestError;
    expect(big.code).toBe("manifest-too-large");
    expect(big.exitCode).toBe(ExitCode.manifest);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("keys in the wrong format get a hint saying where they belong", () => {
  const hintOf = (text: string) => {
    try {
      parseManifest(text, "plugin.yaml");
    } catch (e) {
      return [(e as ManifestError).message, (e as ManifestError).hint];
    }
    return undefined;
  };
  expect(hintOf("name: x\nversion: 1.0.0\ntype: cli/v1\n")).toEqual([
    "plugin.yaml:3:1: type: unknown key",
    "this is an apiVersion v1 key: add apiVersion: v1 at the top of plugin.yaml",
  ]);
  expect(
    hintOf("apiVersion: v1\nname: x\nversion: 1.0.0\ntype: cli/v1\nruntime: subprocess\ncommand: bin/x\n"),
  ).toEqual([
    "plugin.yaml:6:1: command: unknown key",
    "in apiVersion v1 use runtime: subprocess with runtimeConfig.platformCommand",
  ]);
});

test("YAML 1.1 boolean-looking keys keep their text; collection keys are refused", () => {
  const text =
    "apiVersion: v1\nname: x\nversion: 1.0.0\ntype: cli/v1\nruntime: extism/v1\nruntimeConfig:\n  config:\n    on: yes\n    10: x\n";
  expect(parseManifest(text, "plugin.yaml").manifest.extism?.config).toEqual({ on: "true", 10: "x" });
  expect(() => parseManifest("name: x\nversion: 1.0.0\n? [a, b]\n: c\n", "plugin.yaml")).toThrow(
    "plugin.yaml:3:3: keys must be plain strings",
  );
});

test("a runtimeConfig key of the other runtime warns with a hint naming the runtime", () => {
  const text =
    "apiVersion: v1\nname: x\nversion: 1.0.0\ntype: cli/v1\nruntime: subprocess\nruntimeConfig:\n  timeout: 5\n";
  const [w] = parseManifest(text, "plugin.yaml").warnings;
  expect(w?.message).toBe(
    "plugin.yaml:7:3: runtimeConfig.timeout: unknown key, ignored (Helm ignores it too)",
  );
  expect(w?.hint).toBe("timeout is an extism/v1 runtimeConfig key, but this plugin's runtime is subprocess");
});
