// Command line of the diff plugin: `capstan diff [flags] <before> <after>`.

/** Parsed arguments. */
export interface DiffArgs {
  before: string;
  after: string;
  context: number;
  /** true / false when forced by a flag; undefined = decide from config and environment. */
  color: boolean | undefined;
  showSecrets: boolean;
  namespace: string;
  help: boolean;
}

export const USAGE = `usage: capstan diff [flags] <before.yaml> <after.yaml>
Compares two manifest sets resource by resource (apiVersion group, kind, namespace, name) and
prints a unified diff of each added, removed or changed resource.
Exit code: 0 when the sets are the same, 2 when they differ.
  -C, --context N     unchanged lines around each change (default 3)
  --color / --no-color  force colours on or off (default: plugin config "color", else off)
  --show-secrets      print Secret data instead of masking it
  -n, --namespace NS  namespace of resources that name none (default "")
  -h, --help          this help`;

/** A usage problem; the message names the argument. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parses the plugin's extraArgs. */
export function parseArgs(argv: readonly string[]): DiffArgs {
  const out: DiffArgs = {
    before: "",
    after: "",
    context: 3,
    color: undefined,
    showSecrets: false,
    namespace: "",
    help: false,
  };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-C":
      case "--context": {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`${flag} "${v}": expected a number of lines`);
        out.context = Number(v);
        break;
      }
      case "--color":
        out.color = true;
        break;
      case "--no-color":
        out.color = false;
        break;
      case "--show-secrets":
        out.showSecrets = true;
        break;
      case "-n":
      case "--namespace":
        out.namespace = value();
        break;
      case "-h":
      case "--help":
        out.help = true;
        break;
      default:
        if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown flag "${arg}"\n${USAGE}`);
        files.push(arg);
    }
  }
  if (out.help) return out;
  if (files.length !== 2) throw new UsageError(`expected two manifest files, got ${files.length}\n${USAGE}`);
  [out.before, out.after] = files as [string, string];
  return out;
}
