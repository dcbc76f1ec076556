// Helm bridges - see docs/helm-bridges.md. Renders the files that let Helm run plugins in
// Capstan: for Helm 3 a --post-renderer executable (sh) and a legacy downloader plugin
// (plugin.yaml + bin/capstan-getter); for Helm 4 a subprocess post-renderer plugin (Helm 4.2
// sends Wasm post-renderers no manifests). Templates: packages/cli/templates/helm3, helm4. Both exec the capstan that wrote
// them (or $CAPSTAN_BIN, or capstan on PATH) with Capstan's plugin home baked in, because
// Helm points HELM_PLUGINS at its own plugin directory.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { templatesDir } from "./scaffold.js";

/** A file to write: path relative to the output, content, executable or not. */
export interface BridgeFile {
  path: string;
  text: string;
  executable: boolean;
}

/** Where capstan and its plugins are, as baked into the scripts. */
export interface BridgeTarget {
  /** Absolute path of the capstan executable to run. */
  capstan: string;
  /** Capstan's plugin path (`:`-joined), used unless CAPSTAN_BRIDGE_PLUGINS is set at run time. */
  pluginHome: string;
  /** Version of capstan writing the files. */
  version: string;
}

/** A word quoted for sh: single quotes, embedded ones as '\''. */
function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function template(name: string, tokens: Record<string, string>): string {
  const dir = join(templatesDir(), "helm3");
  let text = readFileSync(join(dir, name), "utf8");
  text = text.replace("# @include find-capstan\n", readFileSync(join(dir, "find-capstan.inc.sh"), "utf8"));
  for (const [k, v] of Object.entries(tokens)) text = text.replaceAll(k, v);
  return text;
}

/** How a post-renderer script is described in its header. */
interface ScriptOrigin {
  /** The capstan command line that wrote it. */
  command: string;
  /** One comment line saying how Helm uses it. */
  use: string;
}

/** A post-renderer sh script: `capstan postrender <plugins> -- <baked> "$@"`. */
export function postRendererScript(
  target: BridgeTarget,
  plugins: readonly string[],
  bakedArgs: readonly string[],
  origin: ScriptOrigin,
): string {
  return template("post-renderer.sh", {
    __COMMAND__: origin.command,
    __USE__: origin.use,
    __PLUGINS_LIST__: plugins.join(" "),
    __BAKED_ARGS__: bakedArgs.map((a) => `${shQuote(a)} `).join(""),
    __CAPSTAN__: shQuote(target.capstan),
    __PLUGIN_HOME__: shQuote(target.pluginHome),
    __VERSION__: target.version,
  });
}

/** A Helm 4 subprocess postrenderer/v1 plugin called `name` that runs `plugins` in Capstan. */
export function helm4PostRendererFiles(
  target: BridgeTarget,
  name: string,
  plugins: readonly string[],
  bakedArgs: readonly string[],
  command: string,
): BridgeFile[] {
  const yaml = readFileSync(join(templatesDir(), "helm4", "plugin.yaml"), "utf8")
    .replaceAll("__COMMAND__", command)
    .replaceAll("__PLUGINS_LIST__", plugins.join(" "))
    .replaceAll("__NAME__", name)
    .replaceAll("__VERSION__", target.version);
  const use = `Helm 4 runs it for the post-renderer plugin "${name}": helm install NAME CHART --post-renderer ${name}`;
  return [
    { path: "plugin.yaml", text: yaml, executable: false },
    {
      path: "bin/capstan-postrender",
      text: postRendererScript(target, plugins, bakedArgs, { command, use }),
      executable: true,
    },
  ];
}

/** The files of a Helm 3 downloader plugin called `name` serving `protocols`. */
export function downloaderPluginFiles(
  target: BridgeTarget,
  name: string,
  protocols: readonly string[],
): BridgeFile[] {
  const tokens = {
    __NAME__: name,
    __PROTOCOLS_LIST__: protocols.map((p) => `${p}://`).join(", "),
    __PROTOCOLS__: protocols.map((p) => JSON.stringify(p)).join(", "),
    __CAPSTAN__: shQuote(target.capstan),
    __PLUGIN_HOME__: shQuote(target.pluginHome),
    __VERSION__: target.version,
  };
  return [
    { path: "plugin.yaml", text: template("plugin.yaml", tokens), executable: false },
    { path: "bin/capstan-getter", text: template("capstan-getter.sh", tokens), executable: true },
  ];
}

/** What a Helm 3 cli bridge says about the plugin it runs (from its manifest when installed). */
interface CliBridgeInfo {
  /** Helm plugin name (`helm <name>`). */
  name: string;
  /** The Capstan cli plugin it runs. */
  plugin: string;
  version: string;
  usage: string;
  description: string;
}

/** The files of a Helm 3 plugin whose command runs `capstan <plugin> "$@"`. */
export function helm3CliPluginFiles(target: BridgeTarget, info: CliBridgeInfo): BridgeFile[] {
  const tokens = {
    __PLUGIN_VERSION__: info.version,
    __PLUGIN__: info.plugin,
    __NAME__: info.name,
    // JSON strings are valid YAML double-quoted scalars.
    __USAGE__: JSON.stringify(info.usage),
    __DESCRIPTION__: JSON.stringify(info.description),
    __CAPSTAN__: shQuote(target.capstan),
    __PLUGIN_HOME__: shQuote(target.pluginHome),
    __VERSION__: target.version,
  };
  return [
    { path: "plugin.yaml", text: template("cli-plugin.yaml", tokens), executable: false },
    { path: "bin/capstan-run", text: template("cli-run.sh", tokens), executable: true },
  ];
}
