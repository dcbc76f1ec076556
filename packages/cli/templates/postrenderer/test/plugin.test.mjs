// The compiled plugin (plugin.wasm, built by `npm run build`) run through
// `capstan postrender`, as Helm pipes manifests through it. `npm test` builds first.
import assert from "node:assert/strict";
import { test } from "node:test";
import { capstan } from "./capstan.mjs";

const manifests = [
  "---",
  "# Source: web/templates/secret.yaml",
  "apiVersion: v1",
  "kind: Secret",
  "metadata:",
  "  name: web",
  "---",
  "# Source: web/templates/empty.yaml",
  "---",
  "# Source: web/templates/service.yaml",
  "apiVersion: v1",
  "kind: Service",
  "metadata:",
  "  name: web",
  "",
].join("\n");

test("drops empty documents and keeps the others byte for byte", async () => {
  const r = await capstan(["postrender", "__NAME__"], { input: manifests });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, manifests.replace("---\n# Source: web/templates/empty.yaml\n", ""));
});

test("--drop-kind drops documents of that kind", async () => {
  const r = await capstan(["postrender", "__NAME__", "--", "--drop-kind", "Secret"], { input: manifests });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n");
});

test("a bad argument fails with the plugin's message", async () => {
  const r = await capstan(["postrender", "__NAME__", "--", "--nope"], { input: manifests });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown argument --nope/);
});
