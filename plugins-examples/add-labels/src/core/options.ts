// What to change, from plugin config (runtimeConfig.config) and the post-renderer's args.
// Config keys hold comma-separated lists: labels "k=v,k2=v2", annotations "k=v",
// registries "from=to", includeSelectors "true". Args add to them (and win on the same key):
//   --label k=v  --annotation k=v  --registry from=to  --include-selectors
// Both `--flag value` and `--flag=value` are accepted.

/** A registry rewrite: images from `from` (a registry host, optionally with a path) go to `to`. */
export interface RegistryRule {
  from: string;
  to: string;
}

/** The transformation to apply. */
export interface Options {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  registries: RegistryRule[];
  /** Also add labels to selectors (Service spec.selector, workload spec.selector.matchLabels). Default false. */
  includeSelectors: boolean;
}

/** A usage problem; the message names the argument. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `usage: add-labels [--label key=value]... [--annotation key=value]... [--registry from=to]... [--include-selectors]
  --label k=v          add label k=v to every resource and to pod templates
  --annotation k=v     add annotation k=v to every resource and to pod templates
  --registry from=to   rewrite images from registry "from" (e.g. docker.io, ghcr.io/org) to "to"
  --include-selectors  also add the labels to selectors (breaks upgrades of existing workloads)
Config keys (runtimeConfig.config): labels, annotations, registries (comma-separated k=v), includeSelectors.`;

// Kubernetes label syntax (apimachinery validation): optional DNS-subdomain prefix, then a name.
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks a label or annotation key; returns an error message or null. */
export function keyProblem(key: string): string | null {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix)))
    return `key "${key}": prefix must be a DNS subdomain`;
  if (!NAME.test(name))
    return `key "${key}": name must be 1-63 letters, digits, '-', '_' or '.', starting and ending alphanumeric`;
  return null;
}

function pair(text: string, what: string): [string, string] {
  const i = text.indexOf("=");
  if (i <= 0) throw new UsageError(`${what} "${text}": expected key=value`);
  return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}

function addLabel(into: Record<string, string>, text: string, what: "label" | "annotation"): void {
  const [k, v] = pair(text, what);
  const problem = keyProblem(k);
  if (problem) throw new UsageError(`${what} ${problem}`);
  if (what === "label" && v !== "" && !NAME.test(v)) {
    throw new UsageError(
      `label "${k}": value "${v}" must be at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric`,
    );
  }
  into[k] = v;
}

function addRegistry(into: RegistryRule[], text: string): void {
  const [from, to] = pair(text, "registry");
  if (!from || !to || /\s/.test(from + to))
    throw new UsageError(`registry "${text}": expected from=to, e.g. docker.io=mirror.example.com`);
  into.push({ from: from.replace(/\/+$/, ""), to: to.replace(/\/+$/, "") });
}

const list = (s: string | null | undefined): string[] =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Builds Options from config and args; throws UsageError naming the bad input. */
export function parseOptions(
  args: readonly string[],
  config: (key: string) => string | null | undefined,
): Options {
  const o: Options = {
    labels: {},
    annotations: {},
    registries: [],
    includeSelectors: config("includeSelectors") === "true",
  };
  for (const l of list(config("labels"))) addLabel(o.labels, l, "label");
  for (const a of list(config("annotations"))) addLabel(o.annotations, a, "annotation");
  for (const r of list(config("registries"))) addRegistry(o.registries, r);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = flag === arg ? undefined : arg.slice(eq + 1);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--label":
      case "-l":
        addLabel(o.labels, value(), "label");
        break;
      case "--annotation":
      case "-a":
        addLabel(o.annotations, value(), "annotation");
        break;
      case "--registry":
        addRegistry(o.registries, value());
        break;
      case "--include-selectors":
        o.includeSelectors = true;
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  return o;
}
