// Time and scheduling: performance.now, queueMicrotask and timers that wait for real. A snapshot
// freezes everything computed at build time, so every reading here goes to the kernel at call
// time. Date needs nothing: QuickJS reads the WASI wall clock on every Date.now()/new Date().
import { defineGlobal } from "./define.js";
import { kernel } from "./kernel.js";

/** The `performance` global (now() is monotonic milliseconds from the host). */
export const performance = {
  now: (): number => kernel.hrtime(),
  get timeOrigin(): number {
    return kernel.now() - kernel.hrtime();
  },
  toJSON() {
    return { timeOrigin: performance.timeOrigin };
  },
};

/** Queues `fn` as a microtask (runs before the export returns: the engine drains the job queue). */
export function queueMicrotask(fn: () => void): void {
  if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
  Promise.resolve().then(fn);
}

interface Timer {
  id: number;
  due: number;
  delay: number;
  seq: number;
  fn: (...a: unknown[]) => void;
  args: unknown[];
  every: number | null;
}

// Timers wait for real: when the earliest one is not due yet, the call sleeps until it is
// (kernel.sleep: WASI poll_oneoff on a clock, which the engine and the host both cut short at
// the call's deadline). Callbacks run in order of due time.
const timers: Timer[] = [];
let nextId = 1;
let seq = 0;
let pumping = false;

function pump(): void {
  pumping = false;
  if (timers.length === 0) return;
  timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
  const t = timers.shift() as Timer;
  // never more than the timer's own delay (a timer made before the snapshot has another clock)
  const wait = Math.min(t.due - kernel.hrtime(), t.delay);
  if (wait > 0) kernel.sleep?.(wait);
  if (t.every !== null) {
    t.due = kernel.hrtime() + t.every;
    t.seq = seq++;
    timers.push(t);
  }
  schedule();
  t.fn(...t.args);
}

function schedule(): void {
  if (pumping || timers.length === 0) return;
  pumping = true;
  // a few hops so promise chains started by the previous callback settle first
  Promise.resolve()
    .then(() => Promise.resolve())
    .then(() => Promise.resolve())
    .then(pump);
}

function add(fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
  if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
  const delay = Math.max(0, Number(ms) || 0);
  const t: Timer = {
    id: nextId++,
    due: kernel.hrtime() + delay,
    delay,
    seq: seq++,
    fn: fn as Timer["fn"],
    args,
    every: repeat ? Math.max(1, delay) : null,
  };
  timers.push(t);
  schedule();
  return t.id;
}

function clear(id: unknown): void {
  const i = timers.findIndex((t) => t.id === id);
  if (i >= 0) timers.splice(i, 1);
}

/** Runs `fn` once `ms` have passed and the current work is done (the call sleeps if needed). */
export const setTimeout = (fn: unknown, ms?: unknown, ...args: unknown[]) => add(fn, ms, args, false);
/** Repeats `fn` every `ms` until cleared. */
export const setInterval = (fn: unknown, ms?: unknown, ...args: unknown[]) => add(fn, ms, args, true);
/** Cancels a timer. */
export const clearTimeout = clear;
/** Cancels an interval. */
export const clearInterval = clear;

defineGlobal("performance", performance);
defineGlobal("queueMicrotask", queueMicrotask);
defineGlobal("setTimeout", setTimeout);
defineGlobal("setInterval", setInterval);
defineGlobal("clearTimeout", clearTimeout);
defineGlobal("clearInterval", clearInterval);
