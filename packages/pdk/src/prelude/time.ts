// Time and scheduling: performance.now, queueMicrotask and virtual-time timers. A snapshot
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
  seq: number;
  fn: (...a: unknown[]) => void;
  args: unknown[];
  every: number | null;
}

// Timers run in virtual time: a plugin call cannot sleep, so callbacks fire in order of their
// due time as soon as the microtask queue reaches them, without waiting.
const timers: Timer[] = [];
let virtualNow = 0;
let nextId = 1;
let seq = 0;
let pumping = false;

function pump(): void {
  pumping = false;
  if (timers.length === 0) return;
  timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
  const t = timers.shift() as Timer;
  virtualNow = Math.max(virtualNow, t.due);
  if (t.every !== null) {
    t.due = virtualNow + t.every;
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
    due: virtualNow + delay,
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

/** Runs `fn` after the current work (virtual time: the delay orders timers but is not waited). */
export const setTimeout = (fn: unknown, ms?: unknown, ...args: unknown[]) => add(fn, ms, args, false);
/** Repeats `fn` until cleared (virtual time). */
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
