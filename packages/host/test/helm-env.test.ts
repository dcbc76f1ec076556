import { expect, test } from "@jest/globals";
import { pluginEnv, pluginHome, resolveSettings, settingsEnv } from "../src/helm-env.js";

test("plugin path: $CAPSTAN_PLUGINS, else $HELM_PLUGINS, else $XDG_DATA_HOME/capstan/plugins; lists split on ':'", () => {
  expect(resolveSettings({ HOME: "/h", CAPSTAN_PLUGINS: "/a::/b", HELM_PLUGINS: "/c" }).pluginPath).toEqual([
    "/a",
    "/b",
  ]);
  expect(resolveSettings({ HOME: "/h", HELM_PLUGINS: "/c:/d" }).pluginPath).toEqual(["/c", "/d"]);
  expect(resolveSettings({ HOME: "/h", XDG_DATA_HOME: "/x" }).pluginPath).toEqual(["/x/capstan/plugins"]);
  expect(resolveSettings({ HOME: "/h" }).pluginPath).toEqual(["/h/.local/share/capstan/plugins"]);
  expect(pluginHome(resolveSettings({ HOME: "/h", CAPSTAN_PLUGINS: "/a:/b" }))).toBe("/a");
  expect(() => pluginHome(resolveSettings({ HOME: "/h", CAPSTAN_PLUGINS: ":" }))).toThrow(
    expect.objectContaining({ code: "empty-plugin-path", exitCode: 2 }),
  );
});

test("settings: Helm's variables win over XDG defaults; overrides win over both", () => {
  const s = resolveSettings(
    {
      HOME: "/h",
      HELM_DATA_HOME: "/d",
      XDG_CONFIG_HOME: "/cfg",
      HELM_NAMESPACE: "env-ns",
      HELM_DEBUG: "true",
    },
    { namespace: "flag-ns", bin: "/bin/capstan", kubeContext: undefined },
  );
  expect(s).toMatchObject({
    dataHome: "/d",
    configHome: "/cfg/capstan",
    cacheHome: "/h/.cache/capstan",
    namespace: "flag-ns",
    debug: true,
    bin: "/bin/capstan",
    kubeContext: "",
  });
  expect(resolveSettings({ HOME: "/h" }).namespace).toBe("default");
});

test("pluginEnv: parent environment, host settings, then the plugin's name and directory", () => {
  const s = resolveSettings({ HOME: "/h", KUBECONFIG: "/k" }, { bin: "/b" });
  const env = pluginEnv(s, { name: "p", dir: "/plugins/p" }, { KEEP: "1", HELM_PLUGIN_NAME: "spoofed" });
  expect(env).toMatchObject({
    KEEP: "1",
    HELM_PLUGIN_NAME: "p",
    HELM_PLUGIN_DIR: "/plugins/p",
    HELM_BIN: "/b",
    KUBECONFIG: "/k",
  });
  expect(Object.keys(settingsEnv(s)).sort()).toEqual([
    "CAPSTAN_PLUGIN_REPOSITORY_CACHE",
    "CAPSTAN_PLUGIN_REPOSITORY_CONFIG",
    "HELM_BIN",
    "HELM_CACHE_HOME",
    "HELM_CONFIG_HOME",
    "HELM_DATA_HOME",
    "HELM_DEBUG",
    "HELM_KUBECONTEXT",
    "HELM_NAMESPACE",
    "HELM_PLUGINS",
    "HELM_REGISTRY_CONFIG",
    "HELM_REPOSITORY_CACHE",
    "HELM_REPOSITORY_CONFIG",
    "KUBECONFIG",
  ]);
});

test("plugin repository config and cache: beside Helm's config and cache homes, overridable by env", () => {
  const s = resolveSettings({ HOME: "/h", HELM_CACHE_HOME: "/c" });
  expect(s.pluginRepositoryConfig).toBe("/h/.config/capstan/plugin-repositories.yaml");
  expect(s.pluginRepositoryCache).toBe("/c/plugin-repository");
  const o = resolveSettings({
    HOME: "/h",
    CAPSTAN_PLUGIN_REPOSITORY_CONFIG: "/r.yaml",
    CAPSTAN_PLUGIN_REPOSITORY_CACHE: "/rc",
  });
  expect(settingsEnv(o)).toMatchObject({
    CAPSTAN_PLUGIN_REPOSITORY_CONFIG: "/r.yaml",
    CAPSTAN_PLUGIN_REPOSITORY_CACHE: "/rc",
  });
});
