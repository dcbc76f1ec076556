// atob/btoa, Host base64 helpers and structuredClone against Node.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let realm: PluginRealm;
beforeAll(async () => {
  realm = await createRealm();
});

const errName = (fn: () => unknown) => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return (e as Error).name;
  }
};

describe("atob / btoa", () => {
  test("btoa matches Node, including Latin-1 and the error above U+00FF", () => {
    for (const s of ["", "a", "ab", "abc", "abcd", "hello world", "\u0000\u00ff\u0080", "é"]) {
      expect(realm.run(`btoa(${JSON.stringify(s)})`)).toBe(btoa(s));
    }
    expect(
      realm.run(
        `(() => { try { btoa("€"); } catch (e) { return [e.name, e instanceof DOMException, e.code]; } })()`,
      ),
    ).toEqual(["InvalidCharacterError", true, 5]);
  });
  test("atob matches Node on valid, whitespace, unpadded and invalid input", () => {
    for (const s of [
      "",
      "YQ==",
      "YWI=",
      "YWJj",
      "YQ",
      "YWI",
      " Y W\nJj ",
      "aGVsbG8gd29ybGQ=",
      "AP+A",
      "YQ===",
      "Y",
      "YQ=a",
      "a-_b",
      "@@@@",
      "YQ==\n",
    ]) {
      const got = realm.run(
        `(() => { try { return atob(${JSON.stringify(s)}); } catch (e) { return e.name; } })()`,
      );
      let want: string;
      try {
        want = atob(s);
      } catch (e) {
        want = (e as Error).name;
      }
      expect([s, got]).toEqual([s, want]);
    }
  });
  test("Host.arrayBufferToBase64 / base64ToArrayBuffer round-trip binary data", () => {
    const bytes = Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
    const b64 = realm.run<string>(
      `Host.arrayBufferToBase64(new Uint8Array(${JSON.stringify(bytes)}).buffer)`,
    );
    expect(b64).toBe(Buffer.from(bytes).toString("base64"));
    expect(
      realm.run(`Host.arrayBufferToBase64(new Uint8Array(${JSON.stringify(bytes)}).subarray(1, 4))`),
    ).toBe(Buffer.from(bytes.slice(1, 4)).toString("base64"));
    expect(realm.run(`Array.from(new Uint8Array(Host.base64ToArrayBuffer(${JSON.stringify(b64)})))`)).toEqual(
      bytes,
    );
    expect(errName(() => realm.run(`Host.base64ToArrayBuffer("AAEC")`))).toBe("ok");
  });
});

describe("structuredClone", () => {
  test("copies Map, Set, Date, RegExp, typed arrays and nested objects", () => {
    const got = realm.run<string>(`(() => {
      const src = { m: new Map([["k", { v: 1 }]]), s: new Set([1, "two"]), d: new Date(1700000000000), r: /a+b/gi,
        u8: new Uint8Array([1, 2, 3]), f64: new Float64Array([1.5]), big: 10n, n: null, u: undefined, nested: { arr: [1, [2, [3]]] } };
      const c = structuredClone(src);
      return JSON.stringify({
        distinct: c !== src && c.m !== src.m && c.u8 !== src.u8 && c.nested.arr !== src.nested.arr,
        m: [...c.m], s: [...c.s], d: c.d.toISOString(), dIsDate: c.d instanceof Date, r: [c.r.source, c.r.flags],
        u8: Array.from(c.u8), u8Type: Object.prototype.toString.call(c.u8), f64: Array.from(c.f64), big: String(c.big),
        n: c.n, hasU: "u" in c, nested: c.nested });
    })()`);
    expect(JSON.parse(got)).toEqual({
      distinct: true,
      m: [["k", { v: 1 }]],
      s: [1, "two"],
      d: new Date(1700000000000).toISOString(),
      dIsDate: true,
      r: ["a+b", "gi"],
      u8: [1, 2, 3],
      u8Type: "[object Uint8Array]",
      f64: [1.5],
      big: "10",
      n: null,
      hasU: true,
      nested: { arr: [1, [2, [3]]] },
    });
  });
  test("preserves cycles and shared references", () => {
    expect(
      realm.run(`(() => { const a = { name: "a" }; a.self = a; const shared = [1]; a.x = shared; a.y = shared;
      const c = structuredClone(a); return [c.self === c, c.x === c.y, c !== a, c.x !== shared]; })()`),
    ).toEqual([true, true, true, true]);
    expect(
      realm.run(
        `(() => { const m = new Map(); m.set("me", m); const c = structuredClone(m); return c.get("me") === c; })()`,
      ),
    ).toBe(true);
  });
  test("typed arrays sharing one buffer still share it", () => {
    expect(
      realm.run(`(() => { const buf = new ArrayBuffer(8); const o = { a: new Uint8Array(buf, 0, 4), b: new Uint8Array(buf, 4, 4) };
      const c = structuredClone(o); c.a[0] = 9; return [c.a.buffer === c.b.buffer, o.a[0], c.b.byteOffset]; })()`),
    ).toEqual([true, 0, 4]);
  });
  test("errors clone with name and message; functions and symbols throw DataCloneError like Node", () => {
    expect(
      realm.run(
        `(() => { const e = structuredClone(new RangeError("boom")); return [e instanceof RangeError, e.message]; })()`,
      ),
    ).toEqual([true, "boom"]);
    const nodeErr = (v: unknown) => errName(() => structuredClone(v));
    expect(realm.run(`(() => { try { structuredClone({ f() {} }); } catch (e) { return e.name; } })()`)).toBe(
      nodeErr({ f() {} }),
    );
    expect(
      realm.run(`(() => { try { structuredClone(Symbol("s")); } catch (e) { return e.name; } })()`),
    ).toBe(nodeErr(Symbol("s")));
  });
});
