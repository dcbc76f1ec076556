// `capstan postrender <plugin>... [--args a,b] < in > out`: manifests on stdin through the
// post-renderer plugins in order. Also works as Helm 3's `--post-renderer` executable.
import { defineCommand } from "../command.js";

/** `capstan postrender` */
export const postrenderCommand = defineCommand({
  name: "postrender",
  args: "<plugin...>",
  summary: "pipe manifests from stdin through post-renderer plugins, in order",
  options: [{ flags: "--args <list>", description: "comma-separated extra arguments for every plugin" }],
  async run(_args, _opts, _ctx) {
    throw new Error("postrender: not implemented yet");
  },
});
