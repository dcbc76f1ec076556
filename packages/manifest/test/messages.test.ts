// Each message schema accepts good messages (including its own examples) and rejects bad ones
// with an error naming the message and the JSON path.

import {
  CapstanError,
  ExitCode,
  type MessageName,
  messageNames,
  messageSchemas,
  validateMessage,
} from "@capstan/manifest";
import { describe, expect, test } from "@jest/globals";
import { compileMessageValidator, precompiledMessageValidator } from "../src/validate-message.js";

const good: Record<MessageName, unknown[]> = {
  "cli.input": [{ extraArgs: [] }, { extraArgs: ["--x", "y"] }, { extraArgs: null }, {}],
  "cli.output": [
    {},
    { data: { any: ["json"] } },
    { data: null },
    { exitCode: 0 },
    { data: 1, exitCode: 255 },
  ],
  "getter.input": [
    { href: "s3://b/k", protocol: "s3", options: {} },
    {
      href: "s3://b/k",
      protocol: "s3",
      options: {
        URL: "s3://b/k",
        CertFile: "",
        KeyFile: "",
        CAFile: "",
        UNTar: false,
        InsecureSkipVerifyTLS: false,
        PlainHTTP: false,
        AcceptHeader: "",
        Username: "",
        Password: "",
        PassCredentialsAll: false,
        UserAgent: "Helm/4.2.0",
        Version: "1.0.0",
        Timeout: 120000000000,
        // Options Helm may add later pass.
        RegistryClient: null,
      },
    },
  ],
  "getter.output": [{ data: "" }, { data: "aGVsbG8K" }, { data: "aGk=" }],
  "postrenderer.input": [
    { manifests: "kind: ConfigMap\n", extraArgs: [] },
    // Helm 4.2 bug (helm issue 31832): manifests arrives as {}.
    { manifests: {}, extraArgs: null },
    { manifests: "" },
  ],
  "postrenderer.output": [{ manifests: "kind: ConfigMap\n" }],
};

const bad: Record<MessageName, [unknown, string][]> = {
  "cli.input": [
    [{ extraArgs: "x" }, "extraArgs: must be array,null"],
    [{ extraArgs: [1] }, "extraArgs.0: must be string"],
    [[], "(root): must be object"],
    [{ extraArgs: [], extra: 1 }, '(root): unknown key "extra"'],
  ],
  "cli.output": [
    [{ exitCode: "1" }, "exitCode: must be integer"],
    [{ exitCode: 256 }, "exitCode: must be <= 255"],
    [{ exitCode: 1.5 }, "exitCode: must be integer"],
    [{ result: 1 }, '(root): unknown key "result"'],
    [null, "(root): must be object"],
  ],
  "getter.input": [
    [{ protocol: "s3", options: {} }, "(root): must have required property 'href'"],
    [{ href: "s3://b/k", protocol: "s3" }, "(root): must have required property 'options'"],
    [{ href: "s3://b/k", protocol: "s3", options: { Timeout: "30s" } }, "options.Timeout: must be integer"],
    [{ href: "s3://b/k", protocol: "s3", options: { UNTar: "yes" } }, "options.UNTar: must be boolean"],
    [{ href: "", protocol: "s3", options: {} }, "href: must NOT have fewer than 1 characters"],
  ],
  "getter.output": [
    [{}, "(root): must have required property 'data'"],
    [{ data: "not base64!" }, 'data: must match pattern "^[A-Za-z0-9+/]*={0,2}$"'],
    [{ data: [104, 105] }, "data: must be string"],
  ],
  "postrenderer.input": [
    [{ extraArgs: [] }, "(root): must have required property 'manifests'"],
    [{ manifests: { a: 1 } }, "manifests: must be a string or an empty object {}"],
    [{ manifests: 5 }, "manifests: must be a string or an empty object {}"],
  ],
  "postrenderer.output": [
    [{ manifests: " \n\t" }, "manifests: must not be empty or whitespace only"],
    [{ manifests: "" }, "manifests: must not be empty or whitespace only"],
    [{}, "(root): must have required property 'manifests'"],
    [{ manifests: "x", data: 1 }, '(root): unknown key "data"'],
  ],
};

describe.each(messageNames.map((n) => [n]))("%s", (name) => {
  test("accepts good messages and its schema examples", () => {
    const examples = (messageSchemas[name].examples as unknown[] | undefined) ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const m of [...good[name], ...examples]) expect(() => validateMessage(name, m)).not.toThrow();
  });

  test("rejects bad messages naming the message and path", () => {
    for (const [m, why] of bad[name]) {
      let err: unknown;
      try {
        validateMessage(name, m);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CapstanError);
      const e = err as CapstanError;
      expect(e.code).toBe("invalid-message");
      expect(e.message).toBe(`invalid ${name} message: ${why}`);
      expect(e.exitCode).toBe(ExitCode.manifest);
      expect(e.hint).toContain("docs/messages.md");
    }
  });
});

test("an unknown message name is a usage error", () => {
  expect(() => validateMessage("cli.inputs" as MessageName, {})).toThrow('unknown message name "cli.inputs"');
});

test("validation narrows the type", () => {
  const value: unknown = { manifests: "a: 1\n" };
  validateMessage("postrenderer.output", value);
  // Compiles only because validateMessage asserts the type.
  expect(value.manifests.length).toBe(5);
});

test("the precompiled validators behave exactly like freshly compiled ones", () => {
  for (const name of messageNames) {
    const pre = precompiledMessageValidator(name);
    expect(pre).toBeDefined();
    const fresh = compileMessageValidator(name);
    for (const m of [...good[name], ...bad[name].map(([x]) => x)]) {
      const a = pre!(m);
      const b = fresh(m);
      expect([name, m, a, pre!.errors ?? null]).toEqual([name, m, b, fresh.errors ?? null]);
    }
  }
});
