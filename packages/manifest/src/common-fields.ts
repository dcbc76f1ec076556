// Checks shared by v1 and legacy manifests: required keys, name and version.
import { isStrictSemver } from "./semver.js";
import type { At, Ctx, Entry } from "./yaml-context.js";

/** Plugin names Helm accepts (they become directory and command names). */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The entry for `key`, or a "missing" error pointing at the top of the file. */
export function required(ctx: Ctx, entries: Entry[], key: string, hint: string): At {
  const e = entries.find((x) => x.key === key);
  if (!e || ctx.isNull(ctx.at(e))) {
    ctx.fail(e ? ctx.at(e) : { node: null, anchor: null, path: key }, "missing-key", "is required", hint);
  }
  return ctx.at(e);
}

/** The entry for `key` if present and not null. */
export function optional(ctx: Ctx, entries: Entry[], key: string): At | undefined {
  const e = entries.find((x) => x.key === key);
  return e && !ctx.isNull(ctx.at(e)) ? ctx.at(e) : undefined;
}

/** Validates `name`. */
export function pluginName(ctx: Ctx, entries: Entry[]): string {
  const at = required(ctx, entries, "name", "add e.g. name: my-plugin");
  const name = ctx.string(at);
  if (!NAME_PATTERN.test(name)) {
    ctx.fail(
      at,
      "invalid-name",
      `"${name}" is not a valid plugin name`,
      "use only letters, digits, '_' and '-' (the name becomes a directory and a command)",
    );
  }
  return name;
}

/** Validates `version` as strict SemVer 2.0. */
export function pluginVersion(ctx: Ctx, entries: Entry[]): string {
  const at = required(ctx, entries, "version", "add e.g. version: 0.1.0");
  const version = ctx.string(at);
  if (!isStrictSemver(version)) {
    const hint = /^v\d/.test(version)
      ? `drop the leading "v": version: ${version.slice(1)}`
      : "use a SemVer 2.0 version such as 1.2.3 or 1.0.0-rc.1";
    ctx.fail(at, "invalid-version", `"${version}" is not a strict SemVer 2.0 version`, hint);
  }
  return version;
}
