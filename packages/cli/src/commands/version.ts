// `capstan version`: prints the version (like `helm version --short`).
import { defineCommand } from "../command.js";
import { version } from "../version.js";

/** `capstan version` */
export const versionCommand = defineCommand({
  name: "version",
  summary: "print the capstan version",
  async run(_args, _opts, ctx) {
    ctx.stdout.write(`${version}\n`);
    return 0;
  },
});
