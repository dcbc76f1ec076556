// Durations on the command line: Go style (`90s`, `5m`, `1m30s`, `250ms`) or plain milliseconds.
import { MAX_TIMEOUT_MS } from "@capstan/manifest";
import { UsageError } from "./usage-error.js";

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of `text`; throws a UsageError naming `flag` when it is not a duration. */
export function parseDuration(text: string, flag: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new UsageError(`${flag}: "${text}" is not a duration (use e.g. 30s, 5m, 1m30s or milliseconds)`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0);
}

/**
 * A `--timeout` value in ms, or undefined for the default: absent and 0 both mean the default,
 * as `timeout: 0` does in plugin.yaml (docs/decisions.md). Longer than 24 h is a UsageError.
 */
export function parseTimeout(value: unknown, flag = "--timeout"): number | undefined {
  if (value === undefined) return undefined;
  const ms = Math.round(parseDuration(String(value), flag));
  if (ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`${flag}: "${String(value)}" is longer than 24h (the longest time limit)`);
  }
  return ms === 0 ? undefined : ms;
}
