// Event and EventTarget (DOM Standard subset: capture flag ignored, once, signal, handleEvent),
// AbortController and AbortSignal.
import { defineGlobal, tag } from "./define.js";
import { DOMException } from "./dom-exception.js";
import { kernel } from "./kernel.js";

/** The `Event` global. */
export class Event {
  readonly type: string;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly composed: boolean;
  readonly timeStamp: number;
  defaultPrevented = false;
  target: EventTarget | null = null;
  currentTarget: EventTarget | null = null;
  /** @internal */
  _stop = false;
  constructor(
    ...args: [type?: string, init?: { bubbles?: boolean; cancelable?: boolean; composed?: boolean }]
  ) {
    const [type, init = {}] = args;
    if (args.length === 0) throw new TypeError('The "type" argument must be specified');
    this.type = String(type);
    this.bubbles = Boolean(init.bubbles);
    this.cancelable = Boolean(init.cancelable);
    this.composed = Boolean(init.composed);
    this.timeStamp = Date.now();
  }
  get eventPhase(): number {
    return this.currentTarget ? 2 : 0;
  }
  preventDefault(): void {
    if (this.cancelable) this.defaultPrevented = true;
  }
  stopPropagation(): void {}
  stopImmediatePropagation(): void {
    this._stop = true;
  }
  composedPath(): EventTarget[] {
    return this.currentTarget ? [this.currentTarget] : [];
  }
}

type Listener = ((e: Event) => void) | { handleEvent(e: Event): void };
interface Entry {
  fn: Listener;
  capture: boolean;
  once: boolean;
}
type Opts =
  | boolean
  | {
      capture?: boolean;
      once?: boolean;
      signal?: { aborted: boolean; addEventListener: EventTarget["addEventListener"] };
    };

/** The `EventTarget` global. */
export class EventTarget {
  private _l = new Map<string, Entry[]>();
  addEventListener(type: string, fn: Listener | null, opts?: Opts): void {
    if (!fn) return;
    const o = typeof opts === "object" && opts ? opts : { capture: Boolean(opts) };
    if (o.signal?.aborted) return;
    const list = this._l.get(type) ?? [];
    const capture = Boolean(o.capture);
    if (list.some((e) => e.fn === fn && e.capture === capture)) return;
    list.push({ fn, capture, once: Boolean((o as { once?: boolean }).once) });
    this._l.set(type, list);
    o.signal?.addEventListener("abort", () => this.removeEventListener(type, fn, { capture }));
  }
  removeEventListener(type: string, fn: Listener | null, opts?: boolean | { capture?: boolean }): void {
    const capture = typeof opts === "object" && opts ? Boolean(opts.capture) : Boolean(opts);
    const list = this._l.get(type);
    if (list)
      this._l.set(
        type,
        list.filter((e) => !(e.fn === fn && e.capture === capture)),
      );
  }
  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError('The "event" argument must be an instance of Event');
    event.target = this;
    event.currentTarget = this;
    event._stop = false;
    for (const e of [...(this._l.get(event.type) ?? [])]) {
      if (e.once) this.removeEventListener(event.type, e.fn, { capture: e.capture });
      if (typeof e.fn === "function") e.fn.call(this, event);
      else e.fn.handleEvent(event);
      if (event._stop) break;
    }
    event.currentTarget = null;
    return !event.defaultPrevented;
  }
}

tag(Event, "Event");
tag(EventTarget, "EventTarget");
defineGlobal("Event", Event);
defineGlobal("EventTarget", EventTarget);

/** The `AbortSignal` global. */
export class AbortSignal extends EventTarget {
  aborted = false;
  reason: unknown = undefined;
  private _onabort: ((e: Event) => void) | null = null;
  private _onabortHooked = false;
  /** Event handler attribute: runs in listener order, from its first assignment (as in the DOM). */
  get onabort(): ((e: Event) => void) | null {
    return this._onabort;
  }
  set onabort(fn: ((e: Event) => void) | null) {
    this._onabort = typeof fn === "function" ? fn : null;
    if (!this._onabortHooked && this._onabort) {
      this._onabortHooked = true;
      this.addEventListener("abort", (e) => this._onabort?.call(this, e));
    }
  }
  /** @internal */
  _abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason =
      reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
    this.dispatchEvent(new Event("abort"));
  }
  /** Throws `reason` when aborted. */
  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
  /** An already aborted signal. */
  static abort(reason?: unknown): AbortSignal {
    const s = new AbortSignal();
    s._abort(reason);
    return s;
  }
  /** A signal aborted with a TimeoutError after `ms` (virtual time, like setTimeout here). */
  static timeout(ms: number): AbortSignal {
    const s = new AbortSignal();
    // fetch turns the remaining time into the host request's timeoutMs
    (s as unknown as { _deadline: number })._deadline = kernel.hrtime() + Number(ms);
    (globalThis as unknown as { setTimeout(f: () => void, ms: number): unknown }).setTimeout(
      () => s._abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
      ms,
    );
    return s;
  }
  /** A signal aborted as soon as any of `signals` is. */
  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const s = new AbortSignal();
    for (const x of signals) {
      if (x.aborted) {
        s._abort(x.reason);
        break;
      }
      x.addEventListener("abort", () => s._abort(x.reason), { once: true });
    }
    return s;
  }
}

/** The `AbortController` global. */
export class AbortController {
  readonly signal = new AbortSignal();
  /** Aborts the signal (default reason: an AbortError DOMException). */
  abort(reason?: unknown): void {
    this.signal._abort(reason);
  }
}

tag(AbortSignal, "AbortSignal");
tag(AbortController, "AbortController");
defineGlobal("AbortSignal", AbortSignal);
defineGlobal("AbortController", AbortController);
