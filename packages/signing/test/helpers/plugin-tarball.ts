// Builds real plugin tarballs (<name>/plugin.yaml ...) with the system tar, as packagers do.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes `<dir>/<name>-<version>.tgz` holding `<name>/plugin.yaml` and a payload; returns its path. */
export function makePluginTarball(dir: string, name: string, version: string, payload = "hello"): string {
  const src = join(dir, `src-${name}-${version}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(src, name), { recursive: true });
  writeFileSync(
    join(src, name, "plugin.yaml"),
    `apiVersion: v1\nname: ${name}\nversion: ${version}\ntype: cli/v1\nruntime: extism/v1\n`,
  );
  writeFileSync(join(src, name, "payload.txt"), payload);
  const tgz = join(dir, `${name}-${version}.tgz`);
  execFileSync("tar", ["-czf", tgz, "-C", src, name]);
  return tgz;
}
