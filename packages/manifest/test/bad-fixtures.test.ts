// Every test/fixtures/bad/<case>/plugin.yaml must fail with exactly the message listed here.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExitCode, isCapstanError, loadManifest, ManifestError } from "@capstan/manifest";
import { describe, expect, test } from "@jest/globals";

const badDir = fileURLToPath(new URL("./fixtures/bad", import.meta.url));

// case -> [code, message after "<file>:"]
const expected: Record<string, [string, string]> = {
  "malformed-yaml": [
    "yaml-syntax",
    "5:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
  "unknown-top-level-key": ["unknown-key", "6:1: descripton: unknown key"],
  "unknown-legacy-key": ["unknown-key", "3:1: comand: unknown key"],
  "duplicate-key": ["duplicate-key", "10:5: runtimeConfig.memory.maxPages: duplicate key"],
  "duplicate-top-level-key": ["duplicate-key", "3:1: name: duplicate key"],
  "bad-name": ["invalid-name", '2:7: name: "my plugin" is not a valid plugin name'],
  "name-path": ["invalid-name", '1:7: name: "../evil" is not a valid plugin name'],
  "version-path": ["invalid-version", '3:10: version: "../../x" is not a strict SemVer 2.0 version'],
  "version-leading-v": ["invalid-version", '2:10: version: "v1.0.0" is not a strict SemVer 2.0 version'],
  "missing-version": ["missing-key", "1:1: version: is required"],
  "bad-type": ["invalid-value", '4:7: type: unknown plugin type "downloader/v1"'],
  "bad-runtime": ["invalid-value", '5:10: runtime: unknown runtime "wasmtime"'],
  "bad-apiversion": ["invalid-value", '1:13: apiVersion: unsupported apiVersion "v2"'],
  "command-and-platformcommand": [
    "conflicting-keys",
    "6:10: command: cannot be used together with platformCommand",
  ],
  "subprocess-command-and-platformcommand": [
    "conflicting-keys",
    "9:12: runtimeConfig.command: cannot be used together with platformCommand",
  ],
  "hooks-and-platformhooks": ["conflicting-keys", "5:3: hooks: cannot be used together with platformHooks"],
  "getter-without-protocols": ["missing-key", "1:1: config.protocols: is required for a getter/v1 plugin"],
  "getter-empty-protocols": ["invalid-value", "7:14: config.protocols: must list at least one URL scheme"],
  "downloader-without-protocols": ["missing-key", "4:5: downloaders[0].protocols: is required"],
  "unknown-config-key": ["unknown-key", "8:3: config.shortHlp: unknown key"],
  "postrenderer-config-key": ["unknown-key", "7:3: config.usage: unknown key"],
  "bad-timeout": ["invalid-value", "7:12: runtimeConfig.timeout: must be a positive integer (milliseconds)"],
  "relative-guest-path": [
    "invalid-value",
    '8:11: runtimeConfig.allowedPaths./srv: guest path "srv" must be absolute',
  ],
  "bad-env-name": [
    "invalid-value",
    '7:15: runtimeConfig.env[1]: "NOT-A-NAME" is not an environment variable name',
  ],
  "bad-source-url": ["invalid-value", '6:12: sourceURL: "not a url" is not a URL'],
  "empty-file": ["empty-manifest", " the file is empty"],
  "not-a-map": ["invalid-value", "1:1: the top level must be a map of keys"],
  "ignoreflags-not-bool": ["invalid-value", "7:16: config.ignoreFlags: must be true or false"],
  "platformcommand-missing-command": ["missing-key", "4:5: platformCommand[0].command: is required"],
  "duplicate-guest-path": [
    "invalid-value",
    '9:8: runtimeConfig.allowedPaths.b: guest path "/data" overlaps "/data" of another mount',
  ],
  "nested-guest-path": [
    "invalid-value",
    '9:8: runtimeConfig.allowedPaths.b: guest path "/data/sub" overlaps "/data" of another mount',
  ],
  "tmp-guest-path": [
    "invalid-value",
    '8:14: runtimeConfig.allowedPaths.scratch: guest path "/tmp" overlaps /tmp, where fileSystem.createTempDir mounts the per-call temp dir',
  ],
  "relative-host-escape": [
    "invalid-value",
    '8:14: runtimeConfig.allowedPaths.../../x: host path "../../x" leaves the plugin directory',
  ],
  "timeout-too-large": [
    "invalid-value",
    "7:12: runtimeConfig.timeout: must be at most 86400000 (24 hours in milliseconds)",
  ],
};

test("every bad fixture has an expected message", () => {
  expect(readdirSync(badDir).sort()).toEqual(Object.keys(expected).sort());
});

describe("bad fixtures", () => {
  test.each(Object.entries(expected))("%s", async (name, [code, message]) => {
    const dir = join(badDir, name);
    const err = await loadManifest(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ManifestError);
    const e = err as ManifestError;
    expect(isCapstanError(e)).toBe(true);
    expect(e.code).toBe(code);
    expect(e.message).toBe(`${join(dir, "plugin.yaml")}:${message}`);
    expect(e.exitCode).toBe(ExitCode.manifest);
    expect(e.file).toBe(join(dir, "plugin.yaml"));
    expect(e.hint).toEqual(expect.stringMatching(/\S/));
  });
});

test("hints point at the fix", async () => {
  const hint = async (name: string) =>
    ((await loadManifest(join(badDir, name)).catch((e: unknown) => e)) as ManifestError).hint;
  expect(await hint("unknown-config-key")).toContain('did you mean "shortHelp"?');
  expect(await hint("unknown-legacy-key")).toContain('did you mean "command"?');
  expect(await hint("version-leading-v")).toBe('drop the leading "v": version: 1.0.0');
  expect(await hint("bad-timeout")).toBe("see docs/plugin-yaml.md for runtimeConfig.timeout");
  expect(await hint("getter-without-protocols")).toContain("protocols");
});

test("errors carry line, column and key", async () => {
  const e = (await loadManifest(join(badDir, "bad-timeout")).catch((x: unknown) => x)) as ManifestError;
  expect([e.line, e.column, e.key]).toEqual([7, 12, "runtimeConfig.timeout"]);
});
