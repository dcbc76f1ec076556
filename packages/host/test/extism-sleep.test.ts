// A plugin sleeping in WASI poll_oneoff is still stopped at the deadline (the sleep is done by
// the host in interruptible slices), in both isolation modes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openExtismModule } from "@capstan/host";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

let dir: string;
let wasm: string;
const ns = (ms: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(ms) * 1_000_000n);
  return new Uint8Array(b);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-extism-sleep-"));
  wasm = await assembleWat("wasi", dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const isolation of ["inline", "worker"] as const) {
  test(`${isolation}: a short sleep returns its clock event; a long one is stopped at the deadline`, async () => {
    // The deadline leaves room for a worker to start on a loaded 2-core CI machine; the long
    // sleep (60 s) is what must be cut short.
    const rt = await openExtismModule(wasm, { name: "sleeper", timeoutMs: 2500 }, { isolation });
    const started = performance.now();
    // The short sleep gets a deadline a loaded machine cannot miss (worker start included).
    const out = Buffer.from(await rt.call(ns(50), { funcName: "sleep", timeoutMs: 600_000 }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(out.subarray(0, 3).toString()).toBe("010"); // errno 0, 1 event, type clock
    expect(out[3]).toBe(7); // userdata
    // The 600 s sleep outlasts jest's test timeout: only the deadline can end this call.
    await expect(rt.call(ns(600_000), { funcName: "sleep" })).rejects.toMatchObject({ code: "timeout" });
    await rt.close();
  });
}
