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
  ]) {
    expect([argv, await runLightBuiltin(argv, io(), () => {})]).toEqual([argv, undefined]);
  }
});
