// The plugin users start from: the scaffold's cli plugin "hello", created with
// `capstan plugin create --type cli hello` and built with `capstan plugin build`. Shared by the
// suites that time it (cli-startup as a whole process, host-call in-process).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** Creates the scaffold's cli plugin "hello" under `dir` and builds it; returns its directory. */
export function buildHello(root, dir) {
  const bin = join(root, "packages", "cli", "bin", "capstan.cjs");
  const run = (args, cwd) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`bench: capstan ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  };
  run(["plugin", "create", "--type", "cli", "hello", "--dir", dir], dir);
  run(["plugin", "build"], join(dir, "hello"));
  return join(dir, "hello");
}
