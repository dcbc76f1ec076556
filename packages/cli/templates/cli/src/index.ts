// __NAME__: a cli/v1 plugin. `capstan __NAME__ [--shout] [name...]` greets the names.
// Arguments arrive as extraArgs; stdout/stderr are the user's terminal; the number returned
// is the exit code. console.* goes to the host's log (shown with --debug), not to stdout.
import { defineCli } from "@capstan/pdk";

const USAGE = "usage: __NAME__ [--shout] [name...]";

/** The greeting line for the given arguments (exported for reuse). */
export function greet(args: string[], greeting: string): string {
  const shout = args.includes("--shout");
  const names = args.filter((a) => a !== "--shout");
  const line = `${greeting}, ${names.length > 0 ? names.join(" and ") : "world"}!`;
  return shout ? line.toUpperCase() : line;
}

export const helm_plugin_main = defineCli(({ extraArgs }) => {
  if (extraArgs.includes("--help") || extraArgs.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = extraArgs.find((a) => a.startsWith("-") && a !== "--shout");
  if (unknown !== undefined) {
    process.stderr.write(`__NAME__: unknown flag ${unknown}\n${USAGE}\n`);
    return 2;
  }
  process.stdout.write(`${greet(extraArgs, Config.get("greeting") ?? "Hello")}\n`);
  return 0;
});
