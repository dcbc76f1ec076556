// The `capstan` entry: sends built-in commands to the commander program (program.ts) and
// unknown command words to installed cli plugins, and maps every error to one line, a hint
// and an exit code (docs/cli.md). This is the only place that catches errors. It loads
// nothing else up front: a plugin call never pays for commander or the built-in commands, and
// plain `version`, `env` and `plugin list` skip them too (light-builtins.ts).

import { builtinNames } from "./builtin-names.js";
import type { CommandContext } from "./command.js";
import { debugFromEnv, firstCommandWord } from "./globals.js";
import { runLightBuiltin } from "./light-builtins.js";
import { reportError } from "./report-error.js";

/** Streams and environment of one run; tests and embedders can pass their own. */
export interface MainIo {
  stdin: NodeJS.ReadableStream & CommandContext["stdin"];
  stdout: CommandContext["stdout"];
  stderr: CommandContext["stderr"];
  env: NodeJS.ProcessEnv;
  bin: string;
  /** The file descriptor behind `stdin`, when commands may read it directly (bin.ts: 0). */
  stdinFd?: number;
}

/** Runs `capstan` with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: MainIo): Promise<number> {
  let debug = argv.includes("--debug") || debugFromEnv(io.env);
  try {
    if (argv[0] === "__complete") {
      // Hidden, for the completion scripts: runs from the entry, without commander.
      const { runComplete } = await import("./completion/run-complete.js");
      return await runComplete(argv.slice(1), io);
    }
    const at = firstCommandWord(argv);
    const word = at >= 0 ? argv[at] : undefined;
    const builtins = await builtinNames();
    // `capstan help <plugin>`: the plugin's usage, shortHelp and longHelp (run-plugin.ts).
    const helpFor = word === "help" ? argv[at + 1] : undefined;
    if (helpFor !== undefined && !helpFor.startsWith("-") && !builtins.has(helpFor) && helpFor !== "help") {
      const { runPluginCommand } = await import("./run-plugin.js");
      return await runPluginCommand(helpFor, argv.slice(0, at), io, { help: true });
    }
    if (word !== undefined && word !== "help" && !builtins.has(word)) {
      // Not a built-in: an installed cli plugin (loaded lazily: discovery + runtimes).
      // --strict before the plugin name is capstan's; after it, it is the plugin's argument.
      const before = argv.slice(0, at);
      const { runPluginCommand } = await import("./run-plugin.js");
      return await runPluginCommand(
        word,
        [...before.filter((a) => a !== "--strict"), ...argv.slice(at + 1)],
        io,
        {
          strict: before.includes("--strict"),
        },
      );
    }
    const light = await runLightBuiltin(argv, io, (d) => {
      debug = d;
    });
    if (light !== undefined) return light;
    const { runBuiltin } = await import("./program.js");
    return await runBuiltin(argv, io, (d) => {
      debug = d;
    });
  } catch (e) {
    return reportError(e, io.stderr, debug);
  }
}
