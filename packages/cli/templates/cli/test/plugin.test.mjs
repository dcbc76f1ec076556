// The compiled plugin (plugin.wasm, built by `npm run build`) run through capstan, as a user
// runs it. `npm test` builds first.
import assert from "node:assert/strict";
import { test } from "node:test";
import { capstan } from "./capstan.mjs";

test("greets the names it is given, with the configured greeting", async () => {
  const r = await capstan(["__NAME__", "Ada", "Linus"]);
  assert.deepEqual(r, { code: 0, stdout: "Hello, Ada and Linus!\n", stderr: "" });
});

test("--shout prints capitals; no names greets the world", async () => {
  assert.equal((await capstan(["__NAME__", "--shout"])).stdout, "HELLO, WORLD!\n");
});

test("an unknown flag is a usage error (exit 2, message on stderr)", async () => {
  const r = await capstan(["__NAME__", "--nope"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown flag --nope/);
});
