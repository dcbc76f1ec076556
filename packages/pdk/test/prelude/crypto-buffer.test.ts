// crypto (digests equal to node:crypto, random values, UUIDs) and Buffer against Node's.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let realm: PluginRealm;
beforeAll(async () => {
  realm = await createRealm();
});

describe("crypto.subtle.digest", () => {
  const sizes = [0, 1, 3, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 1000, 65537];
  test.each(["SHA-1", "SHA-256", "SHA-384", "SHA-512"])(
    "%s equals node:crypto for many sizes",
    async (alg) => {
      for (const n of sizes) {
        const got = await realm.runAsync<string>(`(async () => {
        const d = new Uint8Array(${n}); for (let i = 0; i < d.length; i++) d[i] = (i * 31 + 7) & 255;
        const h = await crypto.subtle.digest(${JSON.stringify(alg)}, d);
        return Array.from(new Uint8Array(h), (b) => b.toString(16).padStart(2, "0")).join("");
      })()`);
        const d = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
        expect([n, got]).toEqual([n, createHash(alg.replace("-", "").toLowerCase()).update(d).digest("hex")]);
      }
    },
  );
  test("accepts {name}, ArrayBuffer and string-encoded data; unknown algorithms reject", async () => {
    const got = await realm.runAsync(
      `crypto.subtle.digest({ name: "sha-256" }, new TextEncoder().encode("abc").buffer).then((h) => new Uint8Array(h)[0])`,
    );
    expect(got).toBe(createHash("sha256").update("abc").digest()[0]);
    expect(
      await realm.runAsync(`crypto.subtle.digest("MD5", new Uint8Array(1)).then(() => "ok", (e) => e.name)`),
    ).toBe("NotSupportedError");
  });
});

describe("crypto randomness", () => {
  test("getRandomValues fills integer arrays, refuses floats and > 64 KiB", () => {
    expect(
      realm.run(
        `(() => { const a = new Uint32Array(64); crypto.getRandomValues(a); return a.some((x) => x !== 0); })()`,
      ),
    ).toBe(true);
    expect(
      realm.run(`(() => { const a = new Uint8Array(16); return crypto.getRandomValues(a) === a; })()`),
    ).toBe(true);
    expect(
      realm.run(
        `(() => { try { crypto.getRandomValues(new Float32Array(2)); } catch (e) { return e.name; } })()`,
      ),
    ).toBe("TypeMismatchError");
    expect(
      realm.run(
        `(() => { try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { return e.name; } })()`,
      ),
    ).toBe("QuotaExceededError");
  });
  test("randomUUID is v4 and distinct", () => {
    const ids = realm.run<string[]>(`[crypto.randomUUID(), crypto.randomUUID()]`);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe("Buffer", () => {
  test("from/toString in every encoding matches Node", () => {
    const inputs: Array<[string, string]> = [
      ["héllo wörld 😀", "utf8"],
      ["deadBEEF00", "hex"],
      ["aGVsbG8=", "base64"],
      ["aGVsbG8", "base64url"],
      ["\u00e9\u00ff", "latin1"],
      ["hi", "ascii"],
      ["hé", "utf16le"],
      ["abc", "binary"],
    ];
    for (const [s, enc] of inputs) {
      for (const out of ["utf8", "hex", "base64", "base64url", "latin1", "utf16le"]) {
        const got = realm.run(
          `Buffer.from(${JSON.stringify(s)}, ${JSON.stringify(enc)}).toString(${JSON.stringify(out)})`,
        );
        expect([s, enc, out, got]).toEqual([
          s,
          enc,
          out,
          Buffer.from(s, enc as BufferEncoding).toString(out as BufferEncoding),
        ]);
      }
    }
  });
  test("alloc, concat, byteLength, compare, equals, slice shares memory, subarray, copy, fill, indexOf", () => {
    const script = `(() => {
      const out = [];
      out.push(Buffer.alloc(4, "ab").toString("hex"), Buffer.alloc(3).toString("hex"), Buffer.alloc(2, 7).toString("hex"));
      out.push(Buffer.concat([Buffer.from("ab"), new Uint8Array([99])]).toString(), Buffer.concat([Buffer.from("abc")], 2).toString());
      out.push(Buffer.byteLength("héllo"), Buffer.byteLength("aGk=", "base64"), Buffer.byteLength(new Uint8Array(5)));
      out.push(Buffer.compare(Buffer.from("a"), Buffer.from("b")), Buffer.compare(Buffer.from("b"), Buffer.from("a")), Buffer.compare(Buffer.from("ab"), Buffer.from("a")), Buffer.from("x").equals(Buffer.from("x")));
      const b = Buffer.from("hello");
      const s = b.slice(1, 3); s[0] = 69;
      out.push(b.toString(), s.toString(), Buffer.isBuffer(s), b.subarray(-2).toString());
      const t = Buffer.alloc(6, "."); out.push(b.copy(t, 1, 0, 3), t.toString());
      out.push(b.indexOf("l"), b.indexOf(108, 4), b.includes("lo"), b.indexOf(Buffer.from("zz")));
      out.push(JSON.stringify(Buffer.from([1, 2])), Buffer.from({ type: "Buffer", data: [65] }).toString(), Buffer.from(new Uint8Array([66]).buffer).toString());
      out.push(Buffer.isEncoding("utf-8"), Buffer.isEncoding("nope"), b instanceof Uint8Array);
      const w = Buffer.alloc(8); out.push(w.write("héy", 1), w.toString("hex"));
      return out;
    })()`;
    const out: unknown[] = [];
    out.push(
      Buffer.alloc(4, "ab").toString("hex"),
      Buffer.alloc(3).toString("hex"),
      Buffer.alloc(2, 7).toString("hex"),
    );
    out.push(
      Buffer.concat([Buffer.from("ab"), new Uint8Array([99])]).toString(),
      Buffer.concat([Buffer.from("abc")], 2).toString(),
    );
    out.push(
      Buffer.byteLength("héllo"),
      Buffer.byteLength("aGk=", "base64"),
      Buffer.byteLength(new Uint8Array(5)),
    );
    out.push(
      Buffer.compare(Buffer.from("a"), Buffer.from("b")),
      Buffer.compare(Buffer.from("b"), Buffer.from("a")),
      Buffer.compare(Buffer.from("ab"), Buffer.from("a")),
      Buffer.from("x").equals(Buffer.from("x")),
    );
    const b = Buffer.from("hello");
    const s = b.subarray(1, 3);
    s[0] = 69;
    out.push(b.toString(), s.toString(), Buffer.isBuffer(s), b.subarray(-2).toString());
    const t = Buffer.alloc(6, ".");
    out.push(b.copy(t, 1, 0, 3), t.toString());
    out.push(b.indexOf("l"), b.indexOf(108, 4), b.includes("lo"), b.indexOf(Buffer.from("zz")));
    out.push(
      JSON.stringify(Buffer.from([1, 2])),
      Buffer.from({ type: "Buffer", data: [65] } as unknown as string).toString(),
      Buffer.from(new Uint8Array([66]).buffer).toString(),
    );
    out.push(Buffer.isEncoding("utf-8"), Buffer.isEncoding("nope"), b instanceof Uint8Array);
    const w = Buffer.alloc(8);
    out.push(w.write("héy", 1), w.toString("hex"));
    expect(realm.run(script)).toEqual(out);
  });
  test("read/write integer and float accessors match Node, with range errors", () => {
    const methods = [
      "UInt8",
      "Int8",
      "UInt16LE",
      "UInt16BE",
      "Int16LE",
      "Int16BE",
      "UInt32LE",
      "UInt32BE",
      "Int32LE",
      "Int32BE",
      "FloatLE",
      "FloatBE",
      "DoubleLE",
      "DoubleBE",
    ];
    const values: Record<string, number> = {
      UInt8: 200,
      Int8: -100,
      UInt16LE: 65000,
      UInt16BE: 513,
      Int16LE: -2,
      Int16BE: -300,
      UInt32LE: 4000000000,
      UInt32BE: 16909060,
      Int32LE: -5,
      Int32BE: -70000,
      FloatLE: 1.5,
      FloatBE: -0.25,
      DoubleLE: Math.PI,
      DoubleBE: -1e300,
    };
    for (const m of methods) {
      const v = values[m] as number;
      const got = realm.run(
        `(() => { const b = Buffer.alloc(10); const end = b.write${m}(${v}, 1); return [end, b.toString("hex"), b.read${m}(1)]; })()`,
      );
      const b = Buffer.alloc(10) as unknown as Record<string, (...a: number[]) => number> & Buffer;
      const end = b[`write${m}`]?.(v, 1);
      expect([m, got]).toEqual([m, [end, b.toString("hex"), b[`read${m}`]?.(1)]]);
    }
    const big = realm.run(
      `(() => { const b = Buffer.alloc(8); b.writeBigUInt64LE(2n ** 63n + 5n); return [b.toString("hex"), String(b.readBigUInt64LE()), String(b.readBigInt64LE()), String(b.readBigUint64BE())]; })()`,
    );
    const nb = Buffer.alloc(8);
    nb.writeBigUInt64LE(2n ** 63n + 5n);
    expect(big).toEqual([
      nb.toString("hex"),
      String(nb.readBigUInt64LE()),
      String(nb.readBigInt64LE()),
      String(nb.readBigUint64BE()),
    ]);
    expect(
      realm.run(`(() => { try { Buffer.alloc(2).readUInt32LE(0); } catch (e) { return e.name; } })()`),
    ).toBe("RangeError");
    expect(
      realm.run(`(() => { try { Buffer.alloc(2).writeUInt8(300); } catch (e) { return e.name; } })()`),
    ).toBe("RangeError");
    expect(realm.run(`Buffer.alloc(4).readUint16LE !== undefined`)).toBe(true);
  });
});
