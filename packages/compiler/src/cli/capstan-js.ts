// `capstan-js <in.js|in.ts> -i <interface.d.ts> -o <out.wasm> [--skip-opt]` (extism-js flags;
// --prelude and --target are Capstan additions).
import { isCapstanError } from "@capstan/manifest";
import { compile } from "../compile.js";
import { CompilerError } from "../errors.js";
import { type CompileTarget, parseTarget } from "../pipeline/target.js";

const USAGE =
  "usage: capstan-js <input.js|input.ts> -i <interface.d.ts> -o <output.wasm> [--skip-opt] [--prelude <file>] [--target extism|extism-1.0]";

/** Parsed command line. */
export interface CapstanJsArgs {
  input: string;
  interfaceFile?: string;
  output: string;
  skipOpt: boolean;
  prelude?: string;
  target: CompileTarget;
}

// A CapstanError (code + hint) so callers such as the capstan CLI print it like any other failure.
function usageError(message: string): CompilerError {
  return new CompilerError("COMPILER_USAGE", `capstan-js: ${message}`, { hint: USAGE });
}

/** Parses argv (without node and script); throws a CompilerError (code COMPILER_USAGE) on bad input. */
export function parseCapstanJsArgs(argv: string[]): CapstanJsArgs {
  let input: string | undefined;
  let interfaceFile: string | undefined;
  let output: string | undefined;
  let prelude: string | undefined;
  let skipOpt = false;
  let target: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw usageError(`${a} needs a value`);
      return v;
    };
    if (a === "-i" || a === "--interface-file") interfaceFile = value();
    else if (a === "-o" || a === "--output") output = value();
    else if (a === "--skip-opt") skipOpt = true;
    else if (a === "--prelude") prelude = value();
    else if (a === "--target") target = value();
    else if (a === "-h" || a === "--help") throw usageError("help requested");
    else if (a.startsWith("-")) throw usageError(`unknown option ${a}`);
    else if (input === undefined) input = a;
    else throw usageError(`unexpected argument ${a}`);
  }
  if (!input) throw usageError("missing input file");
  let parsedTarget: CompileTarget;
  try {
    parsedTarget = parseTarget(target);
  } catch (e) {
    throw usageError((e as Error).message);
  }
  return { input, interfaceFile, output: output ?? "index.wasm", skipOpt, prelude, target: parsedTarget };
}

/** Runs the command; returns the exit code. */
export async function runCapstanJs(
  argv: string[],
  stderr: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  let args: CapstanJsArgs;
  try {
    args = parseCapstanJsArgs(argv);
  } catch (e) {
    if (!isCapstanError(e)) throw e;
    stderr(`error: ${e.message}\n`);
    if (e.hint) stderr(`${e.hint}\n`);
    return 2;
  }
  try {
    await compile({
      entry: args.input,
      interfaceFile: args.interfaceFile,
      output: args.output,
      skipOpt: args.skipOpt,
      preludeFile: args.prelude,
      target: args.target,
    });
    return 0;
  } catch (e) {
    if (isCapstanError(e)) {
      stderr(`error: ${e.message}\n`);
      if (e.hint) stderr(`hint: ${e.hint}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
