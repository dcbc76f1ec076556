// Subprocess commands: Helm's `platformCommand` lists, string `command`s and hooks, all
// normalized to PlatformCommand {os?, arch?, command, args}.

import type { PlatformCommand, PlatformHooks, ProtocolCommand, SubprocessRuntimeConfig } from "./types.js";
import type { At, Ctx } from "./yaml-context.js";

/** Hook events Helm runs. */
export const hookEvents = ["install", "update", "delete"] as const;

/**
 * Splits a string command the way Helm does (on spaces, no shell quoting; `$VAR` is expanded
 * later, per part, so a variable holding spaces stays one argument). Empty parts from repeated
 * spaces are dropped (Helm would pass them as empty arguments).
 */
export function splitCommand(command: string): { command: string; args: string[] } {
  const parts = command.split(" ").filter((p) => p !== "");
  return { command: parts[0] ?? "", args: parts.slice(1) };
}

/** A string hook runs through `sh -c`, as in Helm 3. */
export function shellCommand(script: string): PlatformCommand {
  return { command: "sh", args: ["-c", script] };
}

/**
 * Parses a `platformCommand` list. `unknownKeys` says what unknown entry keys are: errors in the
 * legacy top level, warnings inside a v1 runtimeConfig.
 */
export function parsePlatformCommands(ctx: Ctx, at: At, unknownKeys: "error" | "warn"): PlatformCommand[] {
  return ctx.items(at, "a list of {os, arch, command, args}").map((item) => {
    const entries = ctx.entries(item, "a map with keys os, arch, command, args");
    ctx.checkKeys(entries, ["os", "arch", "command", "args"], unknownKeys, "of a platform command");
    const pc: PlatformCommand = { command: "", args: [] };
    let command: string | undefined;
    let args: string[] = [];
    for (const e of entries) {
      const v = ctx.at(e);
      if (e.key === "os" && !ctx.isNull(v)) pc.os = ctx.string(v);
      if (e.key === "arch" && !ctx.isNull(v)) pc.arch = ctx.string(v);
      if (e.key === "args") args = ctx.strings(v);
      if (e.key === "command") command = ctx.nonEmptyString(v, "a non-empty command");
    }
    if (command === undefined)
      ctx.fail({ ...item, path: `${item.path}.command` }, "missing-key", "is required");
    // Helm splits `command` on spaces and appends `args` after its words.
    const split = splitCommand(command);
    pc.command = split.command;
    pc.args = [...split.args, ...args];
    return pc;
  });
}

/** Parses `hooks: {install: "script"}` (each run with `sh -c`). */
export function parseStringHooks(ctx: Ctx, at: At, unknownKeys: "error" | "warn"): PlatformHooks {
  const hooks: PlatformHooks = {};
  const entries = ctx.entries(at, "a map of event to shell command");
  ctx.checkKeys(entries, hookEvents, unknownKeys, "of hooks");
  for (const e of entries) {
    if (!isHookEvent(e.key) || ctx.isNull(ctx.at(e))) continue;
    hooks[e.key] = [shellCommand(ctx.nonEmptyString(ctx.at(e), "a shell command"))];
  }
  return hooks;
}

/** Parses `platformHooks: {install: [platformCommand...]}`. */
export function parsePlatformHooks(ctx: Ctx, at: At, unknownKeys: "error" | "warn"): PlatformHooks {
  const hooks: PlatformHooks = {};
  const entries = ctx.entries(at, "a map of event to platform commands");
  ctx.checkKeys(entries, hookEvents, unknownKeys, "of platformHooks");
  for (const e of entries) {
    if (!isHookEvent(e.key)) continue;
    hooks[e.key] = parsePlatformCommands(ctx, ctx.at(e), unknownKeys);
  }
  return hooks;
}

/** Parses v1 `protocolCommands: [{protocols, platformCommand}]`. */
export function parseProtocolCommands(ctx: Ctx, at: At, unknownKeys: "error" | "warn"): ProtocolCommand[] {
  return ctx.items(at, "a list of {protocols, platformCommand}").map((item) => {
    const entries = ctx.entries(item, "a map with keys protocols, platformCommand");
    ctx.checkKeys(entries, ["protocols", "platformCommand"], unknownKeys, "of a protocol command");
    const pcEntry = entries.find((e) => e.key === "platformCommand");
    const protoEntry = entries.find((e) => e.key === "protocols");
    if (!protoEntry) ctx.fail({ ...item, path: `${item.path}.protocols` }, "missing-key", "is required");
    if (!pcEntry) ctx.fail({ ...item, path: `${item.path}.platformCommand` }, "missing-key", "is required");
    return {
      protocols: protocolList(ctx, ctx.at(protoEntry)),
      platformCommand: parsePlatformCommands(ctx, ctx.at(pcEntry), unknownKeys),
    };
  });
}

/** A non-empty list of non-empty URL schemes. */
export function protocolList(ctx: Ctx, at: At): string[] {
  const list = ctx.strings(at, "a list of URL schemes", true);
  if (list.length === 0) {
    ctx.fail(at, "invalid-value", "must list at least one URL scheme", 'e.g. protocols: ["s3"]');
  }
  for (const [i, p] of list.entries()) {
    if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(p)) {
      ctx.fail(
        { node: ctx.items(at)[i]!.node, anchor: at.node, path: `${at.path}[${i}]` },
        "invalid-value",
        `"${p}" is not a URL scheme`,
        'write the scheme without "://", e.g. s3',
      );
    }
  }
  return list;
}

function isHookEvent(k: string): k is (typeof hookEvents)[number] {
  return (hookEvents as readonly string[]).includes(k);
}

/**
 * `command` or `platformCommand`, and `hooks` or `platformHooks`, read from one map: Helm 3's
 * top level or Helm 4.0's subprocess runtimeConfig (which kept the string forms). Each pair is
 * exclusive, because Helm would silently prefer one of them.
 */
export function parseCommandsAndHooks(
  ctx: Ctx,
  get: (key: string) => At | undefined,
  unknownKeys: "error" | "warn",
): Pick<SubprocessRuntimeConfig, "platformCommand" | "platformHooks"> {
  const exclusive = (listKey: string, stringKey: string): void => {
    const single = get(stringKey);
    if (single && get(listKey)) {
      ctx.fail(
        single,
        "conflicting-keys",
        `cannot be used together with ${listKey}`,
        `keep ${listKey} and remove ${stringKey}`,
      );
    }
  };
  exclusive("platformCommand", "command");
  exclusive("platformHooks", "hooks");
  const pc = get("platformCommand");
  const command = get("command");
  const ph = get("platformHooks");
  const hooks = get("hooks");
  return {
    platformCommand: pc
      ? parsePlatformCommands(ctx, pc, unknownKeys)
      : command
        ? [splitCommand(ctx.nonEmptyString(command, "a non-empty command"))]
        : [],
    platformHooks: ph
      ? parsePlatformHooks(ctx, ph, unknownKeys)
      : hooks
        ? parseStringHooks(ctx, hooks, unknownKeys)
        : {},
  };
}
