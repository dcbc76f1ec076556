// Which argument lists the entry runs itself and which go to commander (program.ts).
import { PassThrough } from "node:stream";
import { expect, test } from "@jest/globals";
import { runLightBuiltin } from "./light-builtins.js";
import type { MainIo } from "./main.js";

function io(): MainIo & { out: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (c: Buffer) => chunks.push(c));
  return {
    stdin: new PassThrough() as unknown as MainIo["stdin"],
    stdout,
    stderr: new PassThrough(),
    env: {},
    bin: "capstan",
    out: () => Buffer.concat(chunks).toString("utf8"),
  };
}

test("plain forms of version run without commander, globals before the command", async () => {
  for (const argv of [
    ["version"],
    ["--debug", "version"],
    ["-n", "x", "--strict", "version"],
    ["--kubeconfig=k", "version"],
  ]) {
    const o = io();
    let debug: boolean | undefined;
    expect(await runLightBuiltin(argv, o, (d) => (debug = d))).toBe(0);
    expect(o.out()).toMatch(/^capstan \S+ \(node v[\d.]+, [a-z0-9]+\/[a-z0-9]+\)\n$/);
    expect(debug).toBe(argv.includes("--debug"));
  }
});

test("anything else is left to commander", async () => {
  for (const argv of [
    [],
    ["help"],
    ["version", "--help"],
    ["version", "extra"],
    ["--version"],
    ["env", "-n", "x"], // globals after the command: commander's parsing
    ["-n"],
    ["-n", "--debug", "env"],
    ["--namespace=", "env"],
    ["-n", "a", "-n", "b", "env"],
    ["plugin"],
    ["plugin", "install", "x"],
    ["plugin", "list", "--bogus"],
    ["plugin", "list", "--type"],
    ["plugin", "list", "--type", "cli", "--type", "getter"],
    ["plugin", "list", "--", "x"],
    ["list"],
    ["--bogus", "version"],
    ["postrender"],
    ["postrender", "--help"],
    ["postrender", "a", "--args"],
    ["postrender", "a", "--timeout", "1s", "--timeout", "2s"],
    ["postrender", "a", "--bogus"],
    ["pull"],
    ["pull", "a", "b"],
    ["pull", "a", "--", "b"],
    ["pull", "a", "-o", "-"], // a value that looks like a flag: commander decides
    ["pull", "a", "--insecure-skip-tls-verify=yes"],
  ]) {
    expect([argv, await runLightBuiltin(argv, io(), () => {})]).toEqual([argv, undefined]);
  }
});

test("postrender and pull run without commander: positional arguments, -- and options in any order", async () => {
  const env = { HELM_PLUGINS: "/nonexistent-capstan-plugins", HOME: "/nonexistent-capstan-home" };
  for (const argv of [
    ["postrender", "nope"],
    ["postrender", "nope", "--args", "a,b", "--args", "c", "--", "--x", "y"],
    ["--debug", "postrender", "--timeout=5s", "nope"],
  ]) {
    const o = { ...io(), env };
    await expect(runLightBuiltin(argv, o, () => {})).rejects.toMatchObject({ code: "plugin-not-found" });
  }
  // Nothing listens on port 1: the command ran (with the parsed options) and failed to connect.
  for (const argv of [
    ["pull", "http://127.0.0.1:1/x.tgz"],
    ["pull", "-d", "/tmp", "http://127.0.0.1:1/x.tgz", "--insecure-skip-tls-verify"],
    ["pull", "http://127.0.0.1:1/x.tgz", "--destination=/tmp", "--timeout", "3s"],
  ]) {
    await expect(runLightBuiltin(argv, { ...io(), env }, () => {})).rejects.toThrow(
      /GET http:\/\/127\.0\.0\.1:1\/x\.tgz: /,
    );
  }
});
