// The prelude over an engine with native codecs (utf8, base64, hex): the same answers as the
// JS fallbacks and as Node.
import { expect, test } from "@jest/globals";
import { createRealm } from "../support/prelude-vm.js";

test("codec-backed globals agree with Node when the kernel has natives", async () => {
  const r = await createRealm({ natives: true });
  const bytes = Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 255);
  const script = `(() => {
    const u8 = new Uint8Array(${JSON.stringify(bytes)});
    const b64 = Host.arrayBufferToBase64(u8);
    return [
      b64, Array.from(new Uint8Array(Host.base64ToArrayBuffer(b64))).length,
      btoa("hello\\u00ff"), atob("aGVsbG//"), (() => { try { atob("a"); } catch (e) { return e.name; } })(),
      Buffer.from(u8).toString("hex").slice(0, 40), Buffer.from(u8).toString("base64url").slice(-10),
      Buffer.from("aGk", "base64url").toString(), new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xff])),
      Array.from(new TextEncoder().encode("é\\ud800")),
    ];
  })()`;
  const b = Buffer.from(bytes);
  expect(r.run(script)).toEqual([
    b.toString("base64"),
    1000,
    btoa("hello\u00ff"),
    atob("aGVsbG//"),
    "InvalidCharacterError",
    b.toString("hex").slice(0, 40),
    b.toString("base64url").slice(-10),
    "hi",
    new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xff])),
    Array.from(new TextEncoder().encode("é\ud800")),
  ]);
});
