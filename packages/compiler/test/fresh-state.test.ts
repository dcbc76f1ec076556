// A plugin compiled from TypeScript, called through @capstan/host: every call starts from the
// snapshot, whatever the previous call did to module variables, globals and the heap. Inline
// calls reuse pooled memories and write the snapshot heap themselves (host extism/memory-image.ts),
// so this is the end-to-end check of that path, next to the worker path as a reference.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExtismRuntime } from "@capstan/host";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { compile } from "../src/compile.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "fresh-state");
let dir: string;
let wasmPath: string;

beforeAll(async () => {
  const r = await compile({ entry: join(fixture, "index.ts"), interfaceFile: join(fixture, "plugin.d.ts") });
  dir = mkdtempSync(join(tmpdir(), "capstan-fresh-state-"));
  wasmPath = join(dir, "plugin.wasm");
  writeFileSync(wasmPath, r.wasm);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (b: Uint8Array) => new TextDecoder().decode(b);

test.each(["inline", "worker"] as const)("no state survives between calls (%s)", async (isolation) => {
  const rt = await ExtismRuntime.openModule(wasmPath, { name: "fresh" }, { isolation });
  const first = { calls: 1, seen: ["a"], kept: 0 };
  try {
    expect(JSON.parse(text(await rt.call("a", { funcName: "remember" })))).toEqual(first);
    expect(JSON.parse(text(await rt.call("a", { funcName: "remember" })))).toEqual(first);
    expect(text(await rt.call("", { funcName: "hoard" }))).toBe("2000");
    expect(JSON.parse(text(await rt.call("a", { funcName: "remember" })))).toEqual(first);
    await expect(rt.call("", { funcName: "crash" })).rejects.toMatchObject({
      code: "plugin-error",
      message: expect.stringContaining("crashed on purpose"),
    });
    for (let i = 0; i < 3; i++)
      expect(JSON.parse(text(await rt.call("a", { funcName: "remember" })))).toEqual(first);
  } finally {
    await rt.close();
  }
});
