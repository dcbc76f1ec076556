// Generated bindings inside a real plugin: the kitchen-sink schema's files plus a hand-written
// main.ts, built by buildPlugin (type check included), run through the Extism JS SDK with the
// two host functions the schema imports. Proves the glue, codecs, host wrappers and the
// interface file work end to end, not only that they type-check.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { generateFromXtpSchema, writeGeneratedFiles } from "../src/codegen/index.js";
import { buildPlugin } from "../src/plugin/build-plugin.js";
import { fixture } from "./codegen/typecheck.js";
import { callText, instantiate } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "capstan-codegen-e2e-"));
let wasm: Uint8Array;

const MAIN = `import type { ChecksumOutput, Release, Summary } from "./types.js";
import { kubernetes_lookup, log_bytes } from "./host.js";

export function describeRelease(input: Release): Summary {
  const other = kubernetes_lookup({ kind: "Secret", name: input.name, namespace: "prod" });
  const size = (input.sizeBytes ?? 0n) + 1n;
  return {
    text: \`\${input.name} r\${input.revision} \${input.phase} size+1=\${size} other=\${other.name}/\${other.phase} at \${input.createdAt.toISOString()} digest=\${input.digest?.length ?? 0}\`,
    deployed: input.phase === "deployed",
    checkedAt: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
  };
}
export function shout(input: string): string {
  return input.toUpperCase();
}
export function checksum(input: Uint8Array): ChecksumOutput {
  log_bytes(input.subarray(0, 2));
  let sum = 0n;
  for (const b of input) sum += BigInt(b);
  return sum * 4294967296n;
}
export function ping(): void {}
`;

beforeAll(async () => {
  const src = join(dir, "src");
  writeGeneratedFiles(generateFromXtpSchema(fixture("kitchen-sink", "schema.yaml"), "schema.yaml"), src);
  writeFileSync(join(src, "main.ts"), MAIN);
  writeFileSync(
    join(dir, "plugin.yaml"),
    "apiVersion: v1\nname: kitchen-sink\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\nruntimeConfig:\n  hostFunctions: [kubernetes_lookup, log_bytes]\n",
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "kitchen-sink",
      private: true,
      capstan: { entry: "src/index.ts", interface: "src/interface.d.ts" },
    }),
  );
  const r = await buildPlugin(dir, { skipOpt: true });
  wasm = new Uint8Array(readFileSync(r.output));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("codegen bindings in a compiled plugin", () => {
  const seen: { lookups: unknown[]; logged: number[][] } = { lookups: [], logged: [] };
  // Extism JS SDK host functions: (callContext, ...args); offsets in, offsets out.
  type Ctx = {
    read(o: bigint): { json(): unknown; bytes(): Uint8Array } | null;
    store(v: string | Uint8Array): bigint;
  };
  const functions = {
    kubernetes_lookup: (ctx: Ctx, ptr: bigint) => {
      seen.lookups.push(ctx.read(ptr)?.json());
      return ctx.store(
        JSON.stringify({ name: "db-creds", revision: 1, phase: "failed", createdAt: "2026-01-01T00:00:00Z" }),
      );
    },
    log_bytes: (ctx: Ctx, ptr: bigint) => {
      seen.logged.push([...(ctx.read(ptr)?.bytes() ?? [])]);
    },
  };

  test("JSON in and out, with int64, date-time, bytes and a host function call", async () => {
    const p = await instantiate(wasm, { functions: functions as never });
    const input = {
      name: "web",
      revision: 7,
      phase: "deployed",
      sizeBytes: "9007199254740993",
      createdAt: "2026-05-06T07:08:09.000Z",
      digest: "AAEC",
    };
    const r = await callText(p, "describeRelease", JSON.stringify(input));
    expect(r.ok).toBe(true);
    const out = JSON.parse((r as { text: string }).text);
    expect(out).toEqual({
      text: "web r7 deployed size+1=9007199254740994 other=db-creds/failed at 2026-05-06T07:08:09.000Z digest=3",
      deployed: true,
      checkedAt: "2030-01-02T03:04:05.000Z",
    });
    expect(seen.lookups).toEqual([{ kind: "Secret", name: "web", namespace: "prod" }]);
    await p.close();
  });

  test("a bad input is rejected with the JSON path", async () => {
    const p = await instantiate(wasm, { functions: functions as never });
    const r = await callText(p, "describeRelease", JSON.stringify({ name: "web", revision: "7" }));
    expect(r.ok).toBe(false);
    expect((r as { error: string }).error).toContain("input.revision: expected a 32-bit integer");
    await p.close();
  });

  test("text in/out, bytes in with an int64 result, and a no-input export", async () => {
    const p = await instantiate(wasm, { functions: functions as never });
    expect(await callText(p, "shout", "hello")).toEqual({ ok: true, text: "HELLO" });
    expect(await callText(p, "checksum", new Uint8Array([1, 2, 250]))).toEqual({
      ok: true,
      text: '"1086626725888"',
    });
    expect(seen.logged).toEqual([[1, 2]]);
    expect(await callText(p, "ping")).toEqual({ ok: true, text: "" });
    await p.close();
  });
});
