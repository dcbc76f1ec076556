// Turns how a call ended (core.ts Outcome, plain data from either thread) into the
// RuntimeError the user sees: the message names the plugin and what happened, the hint the fix
// (every outcome has one). Its stack is the plugin's, not the host's: the host frames are the
// same call path for every failure (outcomeError <- run <- call), and a Capstan-built plugin's
// own frames, source-mapped to its TypeScript, are already in the message.

import { RuntimeError } from "../errors.js";
import type { Outcome } from "./core.js";
import type { ExtismPolicy } from "./policy.js";

/** Context for the messages. */
export interface OutcomeContext {
  policy: ExtismPolicy;
  wasmPath: string;
  timeoutMs: number;
  /** URL of an HTTP request in flight when the deadline hit, if any. */
  waitingFor: string | null;
  /** The module's exported function names (for a missing export's hint); read only on that failure. */
  exportNames?: () => string[];
}

/** The error for a failed outcome (never called with kind "ok"); its stack holds no host frames. */
export function outcomeError(o: Exclude<Outcome, { kind: "ok" }>, c: OutcomeContext): RuntimeError {
  const err = describeOutcome(o, c);
  err.stack = `${err.name}: ${err.message}`;
  return err;
}

/** Hint of a failure inside the plugin's own code. */
const PLUGIN_HINT =
  "the plugin reported this error itself: check its input, arguments and config, run again with --debug to see its log, or report it to the plugin's author";

function describeOutcome(o: Exclude<Outcome, { kind: "ok" }>, c: OutcomeContext): RuntimeError {
  const p = c.policy;
  const subject = `plugin "${p.name}"`;
  switch (o.kind) {
    case "plugin-error": {
      // The engine's own report when a Capstan-built plugin's JS heap hits capstan.memory_mb.
      if (/^InternalError: out of memory\b/.test(o.detail)) {
        return new RuntimeError(
          "memory",
          `${subject} ran out of memory: its JavaScript heap is full (${o.detail.split("\n")[0]})`,
          {
            hint: 'raise "capstan.memory_mb" (default 512) in runtimeConfig.config of plugin.yaml',
          },
        );
      }
      const err = new RuntimeError("plugin-error", `${subject} failed: ${o.detail.trimEnd()}`, {
        hint: PLUGIN_HINT,
      });
      (err as RuntimeError & { pluginMessage?: string }).pluginMessage = o.detail;
      return err;
    }
    case "exit":
      return new RuntimeError("plugin-error", `${subject} exited with status ${o.status}`, {
        hint: "the plugin ended itself (WASI proc_exit): run again with --debug to see its log, or report it to the plugin's author",
      });
    case "host-trap":
      // Kernel traps (a bad memory handle...) come without a subject: name the plugin.
      if (o.code === "trap") {
        return new RuntimeError(
          "trap",
          `${subject} (${c.wasmPath}) made an invalid kernel call: ${o.message}`,
          {
            hint:
              o.hint ??
              (/ 0x0$/.test(o.message)
                ? "handle 0x0 is what alloc returns when the plugin's memory cap is reached: raise runtimeConfig.memory.maxPages in plugin.yaml, or report the crash to the plugin's author"
                : "the plugin passed the host a handle it never allocated (a bug in the plugin or its PDK): report it to the plugin's author"),
          },
        );
      }
      return new RuntimeError(o.code, o.message, {
        hint: o.hint ?? "run again with --debug to see the plugin's log up to the failure",
      });
    case "deadline":
      if (c.waitingFor !== null) {
        return new RuntimeError(
          "timeout",
          `${subject} did not finish within ${c.timeoutMs} ms and was stopped while waiting for ${c.waitingFor}`,
          {
            hint: 'raise runtimeConfig.timeout if the server is slow; note that the host\'s event loop is blocked while a plugin runs in-process, so a server in the same Node process cannot answer (run it in a worker or another process, or open the plugin with isolation: "worker")',
          },
        );
      }
      return new RuntimeError(
        "timeout",
        `${subject} did not finish within ${c.timeoutMs} ms and was stopped`,
        {
          hint: "raise runtimeConfig.timeout in plugin.yaml if the plugin needs longer",
        },
      );
    case "entry": {
      const names = c.exportNames?.() ?? [];
      const known = names.length > 0 ? `it exports ${names.join(", ")}` : "it exports no function";
      return new RuntimeError(
        "entry",
        `${subject} (${c.wasmPath}) does not export a function "${o.funcName}"`,
        {
          hint:
            o.funcName === p.entryFuncName
              ? `set runtimeConfig.entryFuncName in plugin.yaml to the plugin's exported function (${known})`
              : `call one of the module's exported functions (${known})`,
        },
      );
    }
    case "no-memory":
      return new RuntimeError("link", `${subject} (${c.wasmPath}) uses WASI but exports no "memory"`, {
        hint: "rebuild the plugin so that it exports its memory",
      });
    case "wasm": {
      if (o.name === "LinkError" || o.name === "CompileError") {
        return new RuntimeError("link", `${subject} (${c.wasmPath}) cannot be instantiated: ${o.message}`, {
          hint: "rebuild the plugin with a current Extism PDK",
        });
      }
      // memory.grow failing is invisible to the host; a trap with memory near the cap is
      // almost always an allocator giving up (allocators grow in chunks, hence the 3/4).
      if (o.pages >= p.maxPages * 0.75) {
        return new RuntimeError(
          "memory",
          `${subject} ran out of memory: it used ${o.pages} of its ${p.maxPages} pages (${(p.maxPages * 64) / 1024} MiB, runtimeConfig.memory.maxPages) when it stopped (wasm trap: ${o.message})`,
          { hint: "raise runtimeConfig.memory.maxPages in plugin.yaml" },
        );
      }
      const what = /call stack/i.test(o.message) ? "stack overflow" : o.message;
      return new RuntimeError("trap", `${subject} crashed (wasm trap: ${what})`, {
        hint: "run with --debug to see the plugin's log; report the crash to the plugin's author",
      });
    }
    case "host-bug":
      return new RuntimeError("trap", `${subject} failed inside the host: ${o.message}`, {
        hint: "this is a bug in capstan or its sandbox setup: report it with the output of the same command run with --debug",
      });
  }
}
