// `capstan version`: the version with the Node version and platform (what a bug report needs);
// `--short` prints the number alone (like `helm version --short`).
import { defineCommand } from "../command.js";
import { version, versionLine } from "../version.js";

/** `capstan version` */
export const versionCommand = defineCommand({
  name: "version",
  summary: "print the capstan version, Node version and platform",
  options: [{ flags: "--short", description: "print the version number alone" }],
  async run(_args, opts, ctx) {
    ctx.stdout.write(`${opts.short === true ? version : versionLine()}\n`);
    return 0;
  },
});
