// Test helpers: temporary plugin directories with sh scripts, and LoadedPlugin values built
// by hand so runtime tests do not depend on plugin.yaml parsing.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  LoadedPlugin,
  PlatformCommand,
  PluginManifest,
  SubprocessRuntimeConfig,
} from "@capstan/manifest";

/** A fresh temporary directory. */
export function tempDir(prefix = "capstan-host-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes an executable sh script. */
export function writeScript(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A subprocess plugin directory `<root>/<name>` with the given scripts, as a LoadedPlugin. */
export function subprocessPlugin(
  root: string,
  name: string,
  config: Partial<SubprocessRuntimeConfig> & { scripts?: Record<string, string> },
  manifest: Partial<PluginManifest> = {},
): LoadedPlugin {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, body] of Object.entries(config.scripts ?? {})) writeScript(join(dir, file), body);
  return {
    dir,
    file: join(dir, "plugin.yaml"),
    warnings: [],
    manifest: {
      apiVersion: "v1",
      name,
      version: "1.0.0",
      type: "cli/v1",
      runtime: "subprocess",
      cli: { usage: name, shortHelp: `the "${name}" plugin`, longHelp: "", ignoreFlags: false },
      subprocess: {
        platformCommand: config.platformCommand ?? [],
        platformHooks: config.platformHooks ?? {},
        protocolCommands: config.protocolCommands ?? [],
      },
      raw: {},
      ...manifest,
    },
  };
}

/** A platform command without os/arch. */
export function cmd(command: string, args: string[] = []): PlatformCommand {
  return { command, args };
}

/** True while process `pid` runs (a killed process waiting to be reaped does not count). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Linux: field 3 of /proc/<pid>/stat is the state; Z = zombie.
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true;
  }
}
