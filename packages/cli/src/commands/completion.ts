// `capstan completion bash|zsh|fish`: prints the shell's completion script (completion/).
import { defineCommand } from "../command.js";
import { UsageError } from "../usage-error.js";

/** `capstan completion` */
export const completionCommand = defineCommand({
  name: "completion",
  args: "<shell>",
  summary: "print the shell completion script (bash, zsh or fish)",
  description:
    "Print the completion script for bash, zsh or fish: commands, flags and installed plugin names.\n" +
    "  bash: source <(capstan completion bash)      (or save it in /etc/bash_completion.d/capstan)\n" +
    "  zsh:  source <(capstan completion zsh)       (after compinit; or save it as _capstan in $fpath)\n" +
    "  fish: capstan completion fish | source       (or save it in ~/.config/fish/completions/capstan.fish)",
  async run([shell], _opts, ctx) {
    const { completionShells, shellScripts } = await import("../completion/shell-scripts.js");
    const name = String(shell);
    if (!(completionShells as readonly string[]).includes(name)) {
      throw new UsageError(`unknown shell "${name}" (use ${completionShells.join(", ")})`, "completion");
    }
    ctx.stdout.write(shellScripts[name as keyof typeof shellScripts]);
    return 0;
  },
});
