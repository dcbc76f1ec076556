// Platform matching and variable expansion for subprocess plugins, as Helm does it: Go-style
// OS/arch names, and `$VAR` / `${VAR}` expanded from the plugin environment.
import type { PlatformCommand } from "@capstan/manifest";

/** Go's GOOS for this process (`linux`, `darwin`, `windows`, ...). */
export function goos(platform: string = process.platform): string {
  return platform === "win32" ? "windows" : platform === "sunos" ? "solaris" : platform;
}

const archNames: Record<string, string> = {
  x64: "amd64",
  ia32: "386",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
};

/** Go's GOARCH for this process (`amd64`, `arm64`, ...). */
export function goarch(arch: string = process.arch): string {
  return archNames[arch] ?? arch;
}

/**
 * The command for this platform, in the order the spec gives: os+arch match, then os only,
 * then arch only, then neither (an entry without os and arch). Comparison ignores case, like
 * Helm's strings.EqualFold. Undefined when nothing matches.
 */
export function selectPlatformCommand(
  commands: readonly PlatformCommand[],
  platform: { os: string; arch: string } = { os: goos(), arch: goarch() },
): PlatformCommand | undefined {
  const eq = (a: string | undefined, b: string) =>
    a !== undefined && a !== "" && a.toLowerCase() === b.toLowerCase();
  const unset = (a: string | undefined) => a === undefined || a === "";
  return (
    commands.find((c) => eq(c.os, platform.os) && eq(c.arch, platform.arch)) ??
    commands.find((c) => eq(c.os, platform.os) && unset(c.arch)) ??
    commands.find((c) => unset(c.os) && eq(c.arch, platform.arch)) ??
    commands.find((c) => unset(c.os) && unset(c.arch))
  );
}

/** Expands `$NAME` and `${NAME}` from `env` (unset names become empty, like os.ExpandEnv). */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced, bare) => {
    return env[(braced ?? bare) as string] ?? "";
  });
}
