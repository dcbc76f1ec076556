// console: every method writes to the Extism log at the matching level
// (log/info -> info, warn -> warn, error/assert -> error, debug -> debug, trace -> trace).
import { defineGlobal } from "./define.js";
import { format, inspect } from "./inspect.js";
import { kernel } from "./kernel.js";

/** Extism log levels (extism:host/env get_log_level numbering). */
export const LogLevel = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 } as const;

let groupIndent = "";
const counts = new Map<string, number>();
const timers = new Map<string, number>();

function enabled(level: number): boolean {
  let min = 0;
  try {
    min = kernel.logLevel();
  } catch {
    min = 0;
  }
  return level >= min;
}

function emit(level: number, args: unknown[]): void {
  if (!enabled(level)) return;
  let msg = format(args);
  if (groupIndent) msg = groupIndent + msg.split("\n").join(`\n${groupIndent}`);
  kernel.log(level, msg);
}

function elapsed(label: string): string | undefined {
  const t = timers.get(label);
  if (t === undefined) return undefined;
  return `${label}: ${(kernel.hrtime() - t).toFixed(3)}ms`;
}

function table(data: unknown, columns?: string[]): string {
  if (data === null || typeof data !== "object") return format([data]);
  const rows = Object.entries(data as Record<string, unknown>);
  const cols: string[] = [];
  let hasValues = false;
  for (const [, r] of rows) {
    if (r !== null && typeof r === "object") {
      for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
    } else hasValues = true;
  }
  const head = ["(index)", ...(columns ?? cols), ...(hasValues ? ["Values"] : [])];
  const body = rows.map(([k, r]) => {
    const isObj = r !== null && typeof r === "object";
    const cells = (columns ?? cols).map((c) =>
      isObj && c in (r as object) ? inspect((r as Record<string, unknown>)[c], 0) : "",
    );
    return [k, ...cells, ...(hasValues ? [isObj ? "" : inspect(r, 0)] : [])];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)) + 2);
  const line = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w)).join(m) + r;
  const row = (cells: string[]) =>
    `│${cells
      .map((c, i) => {
        const w = widths[i] as number;
        const left = Math.floor((w - c.length) / 2);
        return " ".repeat(left) + c + " ".repeat(w - c.length - left);
      })
      .join("│")}│`;
  return [line("┌", "┬", "┐"), row(head), line("├", "┼", "┤"), ...body.map(row), line("└", "┴", "┘")].join(
    "\n",
  );
}

/** The `console` global. */
export const console = {
  log: (...a: unknown[]) => emit(LogLevel.info, a),
  info: (...a: unknown[]) => emit(LogLevel.info, a),
  warn: (...a: unknown[]) => emit(LogLevel.warn, a),
  error: (...a: unknown[]) => emit(LogLevel.error, a),
  debug: (...a: unknown[]) => emit(LogLevel.debug, a),
  trace: (...a: unknown[]) => emit(LogLevel.trace, a),
  dir: (v: unknown) => emit(LogLevel.info, [inspect(v)]),
  assert(cond?: unknown, ...a: unknown[]) {
    if (cond) return;
    if (typeof a[0] === "string") a[0] = `Assertion failed: ${a[0]}`;
    else a.unshift("Assertion failed");
    emit(LogLevel.error, a);
  },
  table(data: unknown, columns?: string[]) {
    if (enabled(LogLevel.info)) emit(LogLevel.info, [table(data, columns)]);
  },
  time(label = "default") {
    timers.set(String(label), kernel.hrtime());
  },
  timeLog(label = "default", ...a: unknown[]) {
    const s = elapsed(String(label));
    if (s) emit(LogLevel.info, [s, ...a]);
  },
  timeEnd(label = "default") {
    const s = elapsed(String(label));
    timers.delete(String(label));
    if (s) emit(LogLevel.info, [s]);
  },
  count(label = "default") {
    const n = (counts.get(String(label)) ?? 0) + 1;
    counts.set(String(label), n);
    emit(LogLevel.info, [`${label}: ${n}`]);
  },
  countReset(label = "default") {
    counts.delete(String(label));
  },
  group(...a: unknown[]) {
    if (a.length) emit(LogLevel.info, a);
    groupIndent += "  ";
  },
  groupCollapsed(...a: unknown[]) {
    console.group(...a);
  },
  groupEnd() {
    groupIndent = groupIndent.slice(2);
  },
};

defineGlobal("console", console);
