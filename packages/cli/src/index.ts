// @capstan/cli: the capstan command. The executable is bin/capstan.cjs (bundles dist/capstan.cjs + dist/capstan-commands.js).

export type { CommandContext, CommandSpec, GlobalOptions, OptionSpec } from "./command.js";
export { defineCommand } from "./command.js";
export type { MainIo } from "./main.js";
export { main } from "./main.js";
