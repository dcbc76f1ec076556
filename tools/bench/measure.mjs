// Measurement helpers shared by the suites: medians of repeated runs, whole-process timing.
import { spawnSync } from "node:child_process";

/** Median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time in ms of running a whole command `runs` times (after one warm-up). */
export function timeCommand(cmd, args, { runs = 15, env = process.env, input } = {}) {
  const once = () => {
    const t = performance.now();
    const r = spawnSync(cmd, args, { env, input, stdio: [input ? "pipe" : "ignore", "ignore", "pipe"] });
    if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return performance.now() - t;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

/** Median time in ms of an async function over `runs` runs (after `warmup` runs). */
export async function timeFn(fn, { runs = 20, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/**
 * Median wall times in ms of several commands measured round-robin (`rounds` rounds of `runs`
 * runs each), so machine noise hits all of them alike: { [label]: ms }.
 */
export function timeInterleaved(commands, { rounds = 5, runs = 3 } = {}) {
  const xs = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, c] of Object.entries(commands))
      xs[label].push(timeCommand(c.cmd, c.args, { runs, ...c.opts }));
  }
  return Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, median(v)]));
}
