// The commander program of the built-in commands, built from the command table
// (commands.ts). Loaded only when a built-in command (or help) runs.
import { Command, CommanderError } from "commander";
import type { CommandContext, CommandSpec, GlobalOptions } from "./command.js";
import { commandGroups, commandTable } from "./commands.js";
import { firstCommandWord } from "./globals.js";
import type { MainIo } from "./main.js";
import { versionLine } from "./version.js";

/** Parses `argv` with commander and runs the built-in command; resolves to its exit code. */
export async function runBuiltin(
  argv: string[],
  io: MainIo,
  setDebug: (d: boolean) => void,
): Promise<number> {
  let exitCode = 0;
  const program = new Command("capstan")
    .description("Run, install and build sandboxed Wasm plugins for Helm-style tools.")
    .usage("[--debug] [--strict] [-n namespace] <command> [args] | <plugin> [args]")
    .option("--debug", "print debug output and stack traces (also HELM_DEBUG=true)")
    .option("-n, --namespace <namespace>", "namespace passed to plugins (HELM_NAMESPACE)")
    .option("--kube-context <context>", "kubeconfig context passed to plugins (HELM_KUBECONTEXT)")
    .option("--kubeconfig <path>", "kubeconfig file passed to plugins (KUBECONFIG)")
    .option("--strict", "unknown runtimeConfig keys in plugin.yaml are errors, not warnings")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Errors are printed by reportError, in the same format as every other error.
      outputError: () => {},
    });
  const wantsHelp = argv.length === 0 || argv[0] === "help" || argv.some((a) => a === "-h" || a === "--help");
  if (wantsHelp) {
    // Discovery only runs when help is shown, so other commands do not pay for it.
    const { pluginHelpText } = await import("./plugin-help.js");
    program.addHelpText("after", await pluginHelpText(io.env));
  }

  const groups = new Map<string, Command>();
  const parentOf = (words: string[]): Command => {
    let parent = program;
    for (let i = 0; i < words.length; i++) {
      const path = words.slice(0, i + 1).join(" ");
      let group = groups.get(path);
      if (!group) {
        group = parent
          .command(words[i]!)
          .description(commandGroups[path] ?? "")
          .exitOverride()
          .configureOutput(program.configureOutput());
        groups.set(path, group);
      }
      parent = group;
    }
    return parent;
  };

  for (const spec of commandTable) {
    const words = spec.name.split(" ");
    const cmd = parentOf(words.slice(0, -1))
      .command(words.at(-1)!)
      .summary(spec.summary)
      .description(spec.description ?? spec.summary)
      .exitOverride()
      .configureOutput(program.configureOutput());
    if (spec.args) cmd.arguments(spec.args);
    for (const a of spec.aliases ?? []) cmd.alias(a);
    for (const o of spec.options ?? []) {
      if (o.repeatable) {
        cmd.option(
          o.flags,
          o.description,
          (v: string, prev: string[] = []) => [...prev, v],
          o.default as string[],
        );
      } else {
        cmd.option(o.flags, o.description, o.default as string | boolean | undefined);
      }
    }
    cmd.action(async (...params: unknown[]) => {
      const self = params.at(-1) as Command;
      const all = self.optsWithGlobals();
      const globals: GlobalOptions = {
        debug: Boolean(all.debug),
        namespace: all.namespace as string | undefined,
        kubeContext: all.kubeContext as string | undefined,
        kubeconfig: all.kubeconfig as string | undefined,
        strict: Boolean(all.strict),
      };
      setDebug(globals.debug);
      const afterDashes = argv.indexOf("--") >= 0 ? argv.slice(argv.indexOf("--") + 1) : [];
      exitCode =
        (await runSpec(spec, params.slice(0, -2), self.opts(), { ...io, globals, afterDashes })) ?? 0;
    });
  }

  try {
    // --version is handled here, not by commander, so `pull --version 1.2.3` stays pull's flag.
    if (
      firstCommandWord(argv) === -1 &&
      argv.includes("--version") &&
      !argv.some((a) => a === "-h" || a === "--help")
    ) {
      io.stdout.write(`${versionLine()}\n`);
      return 0;
    }
    if (argv.length === 0 || (argv.length === 1 && argv[0] === "help")) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander; a bare group (`capstan plugin`) shows help.
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      ) {
        return 0;
      }
      const { UsageError } = await import("./usage-error.js");
      throw new UsageError(e.message.replace(/^error: /, ""), commandPathOf(argv));
    }
    throw e;
  }
}

function runSpec(
  spec: CommandSpec,
  args: unknown[],
  opts: Record<string, unknown>,
  ctx: CommandContext,
): Promise<number | undefined> {
  return spec.run(args, opts, ctx);
}

/** Best guess of the command path for the usage hint (`plugin list` for `plugin list --x`). */
function commandPathOf(argv: string[]): string {
  const known = new Set(commandTable.flatMap((s) => s.name.split(" ")));
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) continue;
    if (!known.has(a)) break;
    words.push(a);
  }
  return words.join(" ");
}
