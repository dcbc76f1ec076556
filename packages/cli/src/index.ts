// @capstan/cli: the capstan command.
export const packageName = "@capstan/cli";
