import { expect, test } from "@jest/globals";
import { expandEnv, goarch, goos, selectPlatformCommand } from "../src/platform.js";
import { prepareCommand } from "../src/runtime-subprocess.js";

const linuxAmd64 = { os: "linux", arch: "amd64" };
const all = [
  { command: "neither", args: [] },
  { arch: "amd64", command: "arch-only", args: [] },
  { os: "linux", command: "os-only", args: [] },
  { os: "linux", arch: "amd64", command: "os-and-arch", args: [] },
  { os: "darwin", arch: "amd64", command: "other-os", args: [] },
];

test("platform match order: os+arch, os only, arch only, neither", () => {
  const pick = (cmds: typeof all) => selectPlatformCommand(cmds, linuxAmd64)?.command;
  expect(pick(all)).toBe("os-and-arch");
  expect(pick(all.filter((c) => c.command !== "os-and-arch"))).toBe("os-only");
  expect(pick(all.filter((c) => !["os-and-arch", "os-only"].includes(c.command)))).toBe("arch-only");
  expect(pick(all.filter((c) => ["neither", "other-os"].includes(c.command)))).toBe("neither");
  expect(pick(all.filter((c) => c.command === "other-os"))).toBeUndefined();
});

test("platform names compare case-insensitively and use Go names", () => {
  expect(
    selectPlatformCommand([{ os: "Linux", arch: "AMD64", command: "x", args: [] }], linuxAmd64)?.command,
  ).toBe("x");
  expect(goos("win32")).toBe("windows");
  expect(goos("linux")).toBe("linux");
  expect(goarch("x64")).toBe("amd64");
  expect(goarch("arm64")).toBe("arm64");
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, as in plugin.yaml
test("expandEnv expands $VAR and ${VAR}; unset names become empty", () => {
  const env = { A: "1", HELM_PLUGIN_DIR: "/p" };
  expect(expandEnv("$HELM_PLUGIN_DIR/bin/x", env)).toBe("/p/bin/x");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, as in plugin.yaml
  expect(expandEnv("${A}b$A-$MISSING.", env)).toBe("1b1-.");
  expect(expandEnv("cost $5 and $", env)).toBe("cost $5 and $");
});

test("prepareCommand splits the command, expands parts and args, appends extra args verbatim", () => {
  const env = { HELM_PLUGIN_DIR: "/p", X: "ex" };
  const p = prepareCommand(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, as in plugin.yaml
    [{ command: "$HELM_PLUGIN_DIR/run.sh --flag=$X", args: ["${X}1"] }],
    ["$X", "two"],
    env,
    {
      platform: linuxAmd64,
    },
  );
  expect(p).toEqual({ command: "/p/run.sh", args: ["--flag=ex", "ex1", "$X", "two"] });
  expect(prepareCommand([], [], env)).toBeUndefined();
});
