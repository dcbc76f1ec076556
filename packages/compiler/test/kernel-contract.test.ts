// The PDK's fake kernel against the real one: the contract cases of
// packages/pdk/test/support/kernel-contract.ts run on the engine's __capstan (compiled into a
// plugin, called through @capstan/host with the same input, config, env and mount) and on
// createFakeKernel; every value and every error (name and message) must be the same, so the
// twelve PDK test files that run on the fake test what a plugin really sees.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExtismRuntime } from "@capstan/host";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createFakeKernel, FakeHostTrap } from "../../pdk/test/support/fake-kernel.js";
import { contractSetup, deniedHttp, runContract } from "../../pdk/test/support/kernel-contract.js";
import { compile } from "../src/compile.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
let dir: string;
let wasmPath: string;

beforeAll(async () => {
  const r = await compile({
    entry: join(fixtures, "kernel-contract", "index.js"),
    interfaceFile: join(fixtures, "kernel-contract", "plugin.d.ts"),
    preludeFile: join(fixtures, "kernel", "prelude.js"),
    skipOpt: true,
  });
  dir = mkdtempSync(join(tmpdir(), "capstan-kernel-contract-"));
  wasmPath = join(dir, "plugin.wasm");
  writeFileSync(wasmPath, r.wasm);
  mkdirSync(join(dir, "mount"));
  writeFileSync(join(dir, "mount", contractSetup.file.name), contractSetup.file.text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function onEngine(funcName = "contract"): Promise<unknown> {
  const rt = await ExtismRuntime.openModule(
    wasmPath,
    {
      name: "contract",
      config: contractSetup.config,
      env: Object.keys(contractSetup.env),
      allowedPaths: [{ hostPath: join(dir, "mount"), guestPath: contractSetup.mount, writable: false }],
    },
    { env: { ...contractSetup.env, HOME: "/not/allowed" } },
  );
  try {
    return JSON.parse(new TextDecoder().decode(await rt.call(contractSetup.input, { funcName })));
  } finally {
    await rt.close();
  }
}

function onFake(): unknown {
  const fake = createFakeKernel(Uint8Array, {
    input: contractSetup.input,
    config: contractSetup.config,
    env: contractSetup.env,
    files: { [`${contractSetup.mount}/${contractSetup.file.name}`]: contractSetup.file.text },
    fds: {},
    natives: true,
  });
  return JSON.parse(JSON.stringify(runContract(fake.kernel)));
}

test("the fake kernel gives the engine's values and errors for every contract case", async () => {
  const engine = await onEngine();
  expect(Object.keys(engine as object)).toEqual(Object.keys(onFake() as object));
  expect(onFake()).toEqual(engine);
});

test("a refused HTTP request ends the call on both, even when the plugin catches it", async () => {
  await expect(onEngine("deniedHttp")).rejects.toMatchObject({ code: "http-denied" });
  const fake = createFakeKernel(Uint8Array);
  deniedHttp(fake.kernel);
  expect(fake.trap()).toBeInstanceOf(FakeHostTrap);
});
