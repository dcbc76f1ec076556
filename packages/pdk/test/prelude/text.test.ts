// TextEncoder/TextDecoder in the prelude realm against Node's implementations.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let realm: PluginRealm;
beforeAll(async () => {
  realm = await createRealm();
});

const samples = [
  "",
  "hello",
  "héllo wörld",
  "日本語テキスト",
  "emoji 😀🎉 mix",
  "\u0000\u007f\u0080\u07ff\u0800\uffff",
  "lone \ud800 high",
  "lone \udc00 low",
  "pair \ud83d\ude00 ok",
  "end\ud800",
];

describe("TextEncoder", () => {
  test("encode matches Node for every sample", () => {
    for (const s of samples) {
      const got = realm.run<Uint8Array>(`Array.from(new TextEncoder().encode(${JSON.stringify(s)}))`);
      expect(got).toEqual(Array.from(new TextEncoder().encode(s)));
    }
  });
  test("encoding is utf-8 and encode() of nothing is empty", () => {
    expect(realm.run("new TextEncoder().encoding")).toBe("utf-8");
    expect(realm.run("new TextEncoder().encode().length")).toBe(0);
  });
  test("encodeInto matches Node, including truncation at character boundaries", () => {
    for (const s of samples) {
      for (const size of [0, 1, 2, 3, 4, 5, 8, 64]) {
        const got = realm.run<{ read: number; written: number; bytes: number[] }>(
          `(() => { const d = new Uint8Array(${size}); const r = new TextEncoder().encodeInto(${JSON.stringify(s)}, d); return { read: r.read, written: r.written, bytes: Array.from(d) }; })()`,
        );
        const d = new Uint8Array(size);
        const r = new TextEncoder().encodeInto(s, d);
        expect({ ...got }).toEqual({ read: r.read, written: r.written, bytes: Array.from(d) });
      }
    }
  });
});

const invalid: number[][] = [
  [0xff],
  [0xc0, 0x80],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x98],
  [0x41, 0xe2, 0x82, 0x42],
  [0xe2, 0x82],
  [0x80, 0x80, 0x41],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xef, 0xbb, 0xbf, 0x41],
  [0x61, 0xf0, 0x90, 0x80, 0x62],
];

describe("TextDecoder", () => {
  test("invalid UTF-8 decodes to U+FFFD exactly like Node", () => {
    for (const bytes of invalid) {
      const got = realm.run<string>(`new TextDecoder().decode(new Uint8Array(${JSON.stringify(bytes)}))`);
      expect(got).toBe(new TextDecoder().decode(new Uint8Array(bytes)));
    }
  });
  test("valid samples round-trip", () => {
    for (const s of samples) {
      const bytes = Array.from(new TextEncoder().encode(s));
      expect(realm.run(`new TextDecoder().decode(new Uint8Array(${JSON.stringify(bytes)}))`)).toBe(
        new TextDecoder().decode(new Uint8Array(bytes)),
      );
    }
  });
  test("fatal throws a TypeError on invalid input and accepts valid input", () => {
    for (const bytes of invalid.filter((b) => b[0] !== 0xef)) {
      expect(
        realm.run(
          `(() => { try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(${JSON.stringify(bytes)})); return "no"; } catch (e) { return e.name; } })()`,
        ),
      ).toBe("TypeError");
    }
    expect(realm.run(`new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0x68, 0x69]))`)).toBe(
      "hi",
    );
    expect(realm.run(`new TextDecoder("utf-8", { fatal: true }).fatal`)).toBe(true);
  });
  test("BOM is stripped unless ignoreBOM", () => {
    expect(realm.run(`new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))`)).toBe("A");
    expect(
      realm.run(
        `new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))`,
      ),
    ).toBe("\ufeffA");
  });
  test("streaming joins split sequences like Node", () => {
    const bytes = Array.from(new TextEncoder().encode("a😀b€c"));
    for (let cut = 0; cut <= bytes.length; cut++) {
      const a = JSON.stringify(bytes.slice(0, cut));
      const b = JSON.stringify(bytes.slice(cut));
      const got = realm.run(
        `(() => { const d = new TextDecoder(); return d.decode(new Uint8Array(${a}), { stream: true }) + d.decode(new Uint8Array(${b})); })()`,
      );
      expect(got).toBe("a😀b€c");
    }
  });
  test("accepts ArrayBuffer, DataView and typed-array views with offsets; other labels", () => {
    expect(realm.run(`new TextDecoder().decode(new Uint8Array([0x61, 0x62]).buffer)`)).toBe("ab");
    expect(
      realm.run(`new TextDecoder().decode(new DataView(new Uint8Array([0x78, 0x61, 0x62]).buffer, 1))`),
    ).toBe("ab");
    expect(realm.run(`new TextDecoder().decode(new Uint8Array([0x78, 0x61, 0x62]).subarray(1, 2))`)).toBe(
      "a",
    );
    expect(realm.run(`new TextDecoder("latin1").decode(new Uint8Array([0xe9]))`)).toBe(
      new TextDecoder("latin1").decode(new Uint8Array([0xe9])),
    );
    expect(realm.run(`new TextDecoder("utf-16le").decode(new Uint8Array([0x41, 0, 0x42, 0]))`)).toBe("AB");
    expect(realm.run(`(() => { try { new TextDecoder("klingon"); } catch (e) { return e.name; } })()`)).toBe(
      "RangeError",
    );
  });
});
