// crypto.subtle HMAC and digest semantics in the prelude (key import/export/generation, usages,
// error names) against Node's own Web Crypto. The hashing itself is the engine's C
// (capstan-hash.c; differential tests in packages/compiler/test/native-crypto.test.ts); here the
// fake kernel supplies it from node:crypto.
import { beforeAll, expect, test } from "@jest/globals";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let realm: PluginRealm;
beforeAll(async () => {
  realm = await createRealm();
});

// Each case runs in the plugin realm and in Node; both must give the same outcome: the error
// name on rejection, else a JSON-able view of the result.
const CASES = `(async (s) => {
  const k = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const msg = new TextEncoder().encode("the message");
  const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
  const view = (r) => r instanceof ArrayBuffer ? hex(r) : r && typeof r === "object" && "extractable" in r
    ? { type: r.type, extractable: r.extractable, algorithm: r.algorithm, usages: r.usages } : r;
  const out = {};
  const t = async (name, f) => {
    try { out[name] = view(await f()); } catch (e) { out[name] = "error " + e.name; }
  };
  const imp = (alg, usages = ["sign", "verify"], ex = true) => s.importKey("raw", k, alg, ex, usages);
  await t("digest md5", () => s.digest("MD5", k));
  await t("digest no dash", () => s.digest("SHA256", k));
  await t("digest string", () => s.digest("SHA-256", "abc"));
  await t("digest lower", () => s.digest({ name: "sha-384" }, k.buffer));
  await t("import no hash", () => imp({ name: "HMAC" }));
  await t("import bad usage", () => imp({ name: "HMAC", hash: "SHA-256" }, ["encrypt"]));
  await t("import no usage", () => imp({ name: "HMAC", hash: "SHA-256" }, []));
  await t("import empty key", () => s.importKey("raw", new Uint8Array(0), { name: "HMAC", hash: "SHA-1" }, true, ["sign"]));
  await t("import bad alg", () => imp({ name: "FOO", hash: "SHA-256" }));
  await t("import bad hash", () => imp({ name: "HMAC", hash: "MD5" }));
  await t("import length", () => imp({ name: "hmac", hash: { name: "sha-512" }, length: 72 }));
  await t("import bad length", () => imp({ name: "HMAC", hash: "SHA-256", length: 64 }));
  await t("import key", () => imp({ name: "HMAC", hash: "SHA-256" }, ["verify", "sign"], false));
  await t("import jwk", () => s.importKey("jwk", { kty: "oct", k: "AQIDBA", alg: "HS256" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]));
  await t("import jwk bad alg", () => s.importKey("jwk", { kty: "oct", k: "AQIDBA", alg: "HS512" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]));
  await t("import jwk bad kty", () => s.importKey("jwk", { kty: "RSA", k: "AQIDBA" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]));
  const key = await imp({ name: "HMAC", hash: "SHA-256" });
  const signOnly = await imp({ name: "HMAC", hash: "SHA-1" }, ["sign"], false);
  for (const h of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
    const kk = await imp({ name: "HMAC", hash: h });
    await t("sign " + h, () => s.sign("HMAC", kk, msg));
    const sig = await s.sign({ name: "HMAC" }, kk, msg);
    await t("verify " + h, () => s.verify("HMAC", kk, sig, msg));
    const bad = new Uint8Array(sig); bad[0] ^= 1;
    await t("verify bad " + h, () => s.verify("HMAC", kk, bad, msg));
    await t("verify short " + h, () => s.verify("HMAC", kk, bad.subarray(1), msg));
  }
  await t("sign long key", async () => s.sign("HMAC", await s.importKey("raw", new Uint8Array(300).fill(7), { name: "HMAC", hash: "SHA-384" }, false, ["sign"]), msg));
  await t("sign view", () => s.sign("HMAC", key, new DataView(msg.buffer, 2, 5)));
  await t("verify without usage", () => s.verify("HMAC", signOnly, new Uint8Array(20), msg));
  await t("sign other alg", () => s.sign("RSASSA-PKCS1-v1_5", key, msg));
  await t("sign unknown alg", () => s.sign("AES-GCM", key, msg));
  await t("sign string", () => s.sign("HMAC", key, "abc"));
  await t("sign not a key", () => s.sign("HMAC", {}, msg));
  await t("export raw", () => s.exportKey("raw", key));
  await t("export jwk", () => s.exportKey("jwk", key));
  await t("export not extractable", async () => s.exportKey("raw", signOnly).then(() => "exported", (e) => e instanceof DOMException ? "DOMException" : e.name));
  await t("generate", async () => {
    const g = await s.generateKey({ name: "HMAC", hash: "SHA-384" }, true, ["sign"]);
    return [view(g), (await s.exportKey("raw", g)).byteLength];
  });
  await t("tag", () => Object.prototype.toString.call(key));
  return out;
})`;

test("crypto.subtle HMAC and digest behave like Node's Web Crypto", async () => {
  const got = await realm.runAsync<Record<string, unknown>>(`${CASES}(crypto.subtle)`);
  // the same case text runs in Node for the expected values
  const inNode = new Function(`return ${CASES}`)() as (s: unknown) => Promise<Record<string, unknown>>;
  const want = await inNode(globalThis.crypto.subtle);
  // Node names a non-extractable export "InvalidAccessException" (a Node quirk); the Web says InvalidAccessError.
  want["export not extractable"] = "DOMException";
  expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(want)));
  expect(got["sign SHA-256"]).toMatch(/^[0-9a-f]{64}$/);
});

test("CryptoKey is a global that user code cannot construct", () => {
  expect(realm.run(`(() => { try { new CryptoKey(); } catch (e) { return e.name; } })()`)).toBe("TypeError");
  expect(realm.run(`typeof CryptoKey`)).toBe("function");
});
