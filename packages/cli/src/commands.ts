// The command table: one row per command; the file of each command is src/commands/<path>.ts.
// Adding a command = one new file + one row here (README.md). Keep imports here static and
// light: command files load their heavy dependencies inside run().
import type { CommandSpec } from "./command.js";
import { completionCommand } from "./commands/completion.js";
import { envCommand } from "./commands/env.js";
import { helm3CliPluginCommand } from "./commands/helm3/cli-plugin.js";
import { helm3DownloaderPluginCommand } from "./commands/helm3/downloader-plugin.js";
import { helm3GetterCommand } from "./commands/helm3/getter.js";
import { helm3PostRendererCommand } from "./commands/helm3/post-renderer.js";
import { helm4PostRendererPluginCommand } from "./commands/helm4/post-renderer-plugin.js";
import { pluginBuildCommand } from "./commands/plugin/build.js";
import { pluginCallCommand } from "./commands/plugin/call.js";
import { pluginCodegenCommand } from "./commands/plugin/codegen.js";
import { pluginCreateCommand } from "./commands/plugin/create.js";
import { pluginInspectCommand } from "./commands/plugin/inspect.js";
import { pluginInstallCommand } from "./commands/plugin/install.js";
import { pluginListCommand } from "./commands/plugin/list.js";
import { pluginPackageCommand } from "./commands/plugin/package.js";
import { pluginPushCommand } from "./commands/plugin/push.js";
import { pluginRepoAddCommand } from "./commands/plugin/repo-add.js";
import { pluginRepoIndexCommand } from "./commands/plugin/repo-index.js";
import { pluginRepoListCommand } from "./commands/plugin/repo-list.js";
import { pluginRepoRemoveCommand } from "./commands/plugin/repo-remove.js";
import { pluginRepoUpdateCommand } from "./commands/plugin/repo-update.js";
import { pluginSearchCommand } from "./commands/plugin/search.js";
import { pluginSignCommand } from "./commands/plugin/sign.js";
import { pluginUninstallCommand } from "./commands/plugin/uninstall.js";
import { pluginUpdateCommand } from "./commands/plugin/update.js";
import { pluginVerifyCommand } from "./commands/plugin/verify.js";
import { postrenderCommand } from "./commands/postrender.js";
import { pullCommand } from "./commands/pull.js";
import { versionCommand } from "./commands/version.js";

/** Help text of command groups (the words before the last one). */
export const commandGroups: Record<string, string> = {
  plugin: "install, list, build and manage plugins",
  "plugin repo": "add, list, update and remove plugin repositories; index a directory as one",
  helm3: "bridges that let Helm 3 run Capstan plugins (docs/helm-bridges.md)",
  helm4: "bridges that let Helm 4 run Wasm post-renderers in Capstan (docs/helm-bridges.md)",
};

/** All built-in commands, in help order. */
export const commandTable: CommandSpec[] = [
  pluginListCommand,
  pluginInstallCommand,
  pluginUpdateCommand,
  pluginUninstallCommand,
  pluginInspectCommand,
  pluginCallCommand,
  pluginPackageCommand,
  pluginSignCommand,
  pluginVerifyCommand,
  pluginPushCommand,
  pluginSearchCommand,
  pluginRepoAddCommand,
  pluginRepoListCommand,
  pluginRepoUpdateCommand,
  pluginRepoRemoveCommand,
  pluginRepoIndexCommand,
  pluginBuildCommand,
  pluginCreateCommand,
  pluginCodegenCommand,
  pullCommand,
  postrenderCommand,
  helm3PostRendererCommand,
  helm3DownloaderPluginCommand,
  helm3GetterCommand,
  helm3CliPluginCommand,
  helm4PostRendererPluginCommand,
  envCommand,
  completionCommand,
  versionCommand,
];
