// Every test/fixtures/good/<case>/plugin.yaml loads, normalized as listed here.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ExtismRuntimeConfig, loadManifest, type PluginManifest } from "@capstan/manifest";
import { expect, test } from "@jest/globals";

const goodDir = fileURLToPath(new URL("./fixtures/good", import.meta.url));

const extismDefaults: ExtismRuntimeConfig = {
  entryFuncName: "helm_plugin_main",
  memory: {},
  config: {},
  allowedHosts: undefined,
  fileSystem: { createTempDir: false },
  timeout: undefined,
  hostFunctions: [],
  allowedPaths: {},
  env: [],
};
const cliDefaults = (name: string) => ({
  usage: name,
  shortHelp: `the "${name}" plugin`,
  longHelp: "",
  ignoreFlags: false,
});

type Expected = Omit<PluginManifest, "raw">;
const cases: Record<string, (dir: string) => Expected> = {
  "extism-cli": (dir) => ({
    apiVersion: "v1",
    name: "hello",
    version: "0.1.0",
    type: "cli/v1",
    runtime: "extism/v1",
    sourceURL: "https://github.com/example/helm-hello",
    cli: {
      usage: "hello [NAME]",
      shortHelp: "say hello",
      longHelp: "Says hello to NAME.\n",
      ignoreFlags: true,
    },
    extism: {
      entryFuncName: "helm_plugin_main",
      memory: { maxPages: 256, maxHttpResponseBytes: 1048576, maxVarBytes: 4096 },
      config: { greeting: "Hello", count: "3" },
      allowedHosts: ["*.example.com"],
      fileSystem: { createTempDir: true },
      timeout: 5000,
      hostFunctions: [],
      allowedPaths: {
        "/etc/ssl/certs": { guestPath: "/certs", writable: false },
        [join(dir, "data")]: { guestPath: "/data", writable: true },
        "/var/cache/x": { guestPath: "/cache", writable: false },
      },
      env: ["HOME", "KUBECONFIG"],
    },
  }),
  "extism-getter": () => ({
    apiVersion: "v1",
    name: "s3-getter",
    version: "1.2.3-rc.1+build.7",
    type: "getter/v1",
    runtime: "extism/v1",
    getter: { protocols: ["s3", "s3a"] },
    extism: { ...extismDefaults, allowedHosts: ["*.amazonaws.com"] },
  }),
  "extism-postrenderer": () => ({
    apiVersion: "v1",
    name: "add-labels",
    version: "2.0.0",
    type: "postrenderer/v1",
    runtime: "extism/v1",
    extism: extismDefaults,
  }),
  "subprocess-v1": () => ({
    apiVersion: "v1",
    name: "kubectl-wrap",
    version: "0.3.0",
    type: "cli/v1",
    runtime: "subprocess",
    cli: { ...cliDefaults("kubectl-wrap"), shortHelp: "wrap kubectl" },
    subprocess: {
      platformCommand: [
        {
          os: "linux",
          arch: "amd64",
          command: "$HELM_PLUGIN_DIR/bin/wrap-linux-amd64",
          args: ["--verbose", "--from", "helm"],
        },
        { os: "windows", command: "$HELM_PLUGIN_DIR/bin/wrap.exe", args: [] },
        { command: "$HELM_PLUGIN_DIR/bin/wrap", args: [] },
      ],
      platformHooks: {
        install: [{ command: "$HELM_PLUGIN_DIR/install.sh", args: ["--quiet"] }],
        delete: [{ os: "linux", command: "rm", args: ["-rf", "$HELM_PLUGIN_DIR/bin"] }],
      },
      protocolCommands: [],
    },
  }),
  "subprocess-getter-v1": () => ({
    apiVersion: "v1",
    name: "git-getter",
    version: "1.0.0",
    type: "getter/v1",
    runtime: "subprocess",
    getter: { protocols: ["git+https", "git+ssh"] },
    subprocess: {
      platformCommand: [],
      platformHooks: {},
      protocolCommands: [
        {
          protocols: ["git+https", "git+ssh"],
          platformCommand: [{ command: "$HELM_PLUGIN_DIR/helm-git", args: [] }],
        },
      ],
    },
  }),
  "subprocess-helm40": () => ({
    apiVersion: "v1",
    name: "old-style",
    version: "1.0.0",
    type: "cli/v1",
    runtime: "subprocess",
    cli: cliDefaults("old-style"),
    subprocess: {
      platformCommand: [{ command: "$HELM_PLUGIN_DIR/run.sh", args: ["--flag", "value"] }],
      platformHooks: {
        install: [{ command: "sh", args: ["-c", "cd $HELM_PLUGIN_DIR && ./install.sh"] }],
        update: [{ command: "sh", args: ["-c", "cd $HELM_PLUGIN_DIR && ./install.sh -u"] }],
      },
      protocolCommands: [],
    },
  }),
  "legacy-cli": () => ({
    apiVersion: "legacy",
    name: "diff",
    version: "3.9.11",
    type: "cli/v1",
    runtime: "subprocess",
    usage: "Preview helm upgrade changes as a diff",
    description: "Preview helm upgrade changes as a diff",
    cli: {
      usage: "diff",
      shortHelp: "Preview helm upgrade changes as a diff",
      longHelp: "Preview helm upgrade changes as a diff",
      ignoreFlags: false,
    },
    subprocess: {
      platformCommand: [{ command: "$HELM_PLUGIN_DIR/bin/diff", args: [] }],
      platformHooks: {
        install: [{ command: "sh", args: ["-c", "$HELM_PLUGIN_DIR/install-binary.sh"] }],
        update: [{ command: "sh", args: ["-c", "$HELM_PLUGIN_DIR/install-binary.sh -u"] }],
      },
      protocolCommands: [],
    },
  }),
  "legacy-platform": () => ({
    apiVersion: "legacy",
    name: "secrets",
    version: "4.6.0",
    type: "cli/v1",
    runtime: "subprocess",
    usage: "Secrets encryption in Helm for Git storing",
    description: "This plugin provides secrets values encryption for Helm charts secure storing",
    cli: {
      usage: "secrets",
      shortHelp: "Secrets encryption in Helm for Git storing",
      longHelp: "This plugin provides secrets values encryption for Helm charts secure storing",
      ignoreFlags: false,
    },
    subprocess: {
      platformCommand: [
        { os: "linux", command: "$HELM_PLUGIN_DIR/scripts/run.sh", args: [] },
        {
          os: "windows",
          arch: "amd64",
          command: "cmd",
          args: ["/c", "$HELM_PLUGIN_DIR\\scripts\\wrapper\\sh.cmd"],
        },
      ],
      platformHooks: { install: [{ command: "$HELM_PLUGIN_DIR/scripts/install.sh", args: [] }] },
      protocolCommands: [],
    },
  }),
  "legacy-downloader": () => ({
    apiVersion: "legacy",
    name: "secrets",
    version: "4.6.0",
    type: "getter/v1",
    runtime: "subprocess",
    usage: "Secrets encryption",
    description: "Secrets encryption in Helm",
    // Helm 4 drops the CLI side of a legacy getter; Capstan keeps it.
    cli: {
      usage: "secrets",
      shortHelp: "Secrets encryption",
      longHelp: "Secrets encryption in Helm",
      ignoreFlags: false,
    },
    getter: { protocols: ["secrets", "secrets+gpg-import", "sops"] },
    subprocess: {
      platformCommand: [{ command: "$HELM_PLUGIN_DIR/scripts/run.sh", args: [] }],
      platformHooks: {},
      protocolCommands: [
        {
          protocols: ["secrets", "secrets+gpg-import"],
          platformCommand: [{ command: "scripts/wrapper/secrets-downloader.sh", args: [] }],
        },
        { protocols: ["sops"], platformCommand: [{ command: "scripts/other.sh", args: ["--mode", "x"] }] },
      ],
    },
  }),
  "legacy-downloader-only": () => ({
    apiVersion: "legacy",
    name: "helm-s3",
    version: "0.16.0",
    type: "getter/v1",
    runtime: "subprocess",
    usage: "",
    description: "Provides AWS S3 protocol support for charts and repos.",
    getter: { protocols: ["s3"] },
    subprocess: {
      platformCommand: [],
      platformHooks: {},
      protocolCommands: [{ protocols: ["s3"], platformCommand: [{ command: "bin/helm-s3", args: [] }] }],
    },
  }),
  "hip-draft-cli": () => ({
    apiVersion: "v1",
    name: "draft-cli",
    version: "0.0.1",
    type: "cli/v1",
    declaredType: "cli.plugins.helm.sh/v1",
    runtime: "extism/v1",
    cli: cliDefaults("draft-cli"),
    extism: extismDefaults,
  }),
  "hip-draft-download": () => ({
    apiVersion: "v1",
    name: "draft-download",
    version: "0.0.1",
    type: "getter/v1",
    declaredType: "download.plugins.helm.sh/v1",
    runtime: "subprocess",
    getter: { protocols: ["oci+x"] },
    subprocess: {
      platformCommand: [],
      platformHooks: {},
      protocolCommands: [{ protocols: ["oci+x"], platformCommand: [{ command: "bin/getter", args: [] }] }],
    },
  }),
  "hip-draft-postrender": () => ({
    apiVersion: "v1",
    name: "draft-postrender",
    version: "0.0.1",
    type: "postrenderer/v1",
    declaredType: "postrender.plugins.helm.sh/v1",
    runtime: "extism/v1",
    extism: { ...extismDefaults, entryFuncName: "run" },
  }),
  "unknown-runtime-config-key": () => ({
    apiVersion: "v1",
    name: "typo",
    version: "1.0.0",
    type: "cli/v1",
    runtime: "extism/v1",
    cli: cliDefaults("typo"),
    extism: { ...extismDefaults, timeout: 1000 },
  }),
  "yaml11-booleans": () => ({
    apiVersion: "legacy",
    name: "old",
    version: "1.0.0",
    type: "cli/v1",
    runtime: "subprocess",
    cli: { ...cliDefaults("old"), ignoreFlags: true },
    subprocess: {
      platformCommand: [{ command: "bin/old", args: [] }],
      platformHooks: {},
      protocolCommands: [],
    },
  }),
};

test("every good fixture has an expectation", () => {
  expect(readdirSync(goodDir).sort()).toEqual(Object.keys(cases).sort());
});

test.each(Object.entries(cases))("%s", async (name, expected) => {
  const dir = join(goodDir, name);
  const loaded = await loadManifest(dir);
  expect(loaded.dir).toBe(dir);
  expect(loaded.file).toBe(join(dir, "plugin.yaml"));
  const { raw, ...manifest } = loaded.manifest;
  expect(manifest).toEqual(expected(dir));
  expect(raw.name).toBe(manifest.name);
  if (name !== "unknown-runtime-config-key") expect(loaded.warnings).toEqual([]);
});
