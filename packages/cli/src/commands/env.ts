// `capstan env`: the environment plugins see, like `helm env` (KEY="value" lines, sorted).
import { defineCommand } from "../command.js";
import { settingsFor } from "../settings.js";

/** `capstan env` */
export const envCommand = defineCommand({
  name: "env",
  summary: "print the environment plugins get (HELM_* variables)",
  async run(_args, _opts, ctx) {
    const { settingsEnv } = await import("@capstan/host");
    const vars = settingsEnv(await settingsFor(ctx));
    const lines = Object.keys(vars)
      .sort()
      .map((k) => `${k}=${JSON.stringify(vars[k])}`);
    ctx.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
});
