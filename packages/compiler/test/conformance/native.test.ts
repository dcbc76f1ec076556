// Conformance of the engine's native data paths in a plugin compiled from TypeScript:
// crypto.subtle digests and HMAC (libmd's C, capstan-hash.c) against node:crypto on seeded
// random inputs, including empty and multi-megabyte ones; JSON.stringify's fast path
// (quickjs-json-fast.h) and the native JSON.parse (quickjs-json-parse.h) against V8's JSON,
// byte for byte, on seeded random documents and on values only code can build (sparse arrays,
// toJSON, getters, proxies, cycles), and what the parse builds (key order, __proto__, -0).
import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type Built, buildFixture, cleanup, type SdkPlugin, sdkCall, sdkPlugin } from "./support.js";

let b: Built;
let p: SdkPlugin;

beforeAll(async () => {
  b = await buildFixture("native", "index.ts");
  p = await sdkPlugin(b);
}, 60_000);

afterAll(async () => {
  await p?.close();
  cleanup(b);
});

/** Seeded xorshift32 bytes: the same inputs on every run. */
function randomBytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

async function call(name: string, input: Uint8Array | string): Promise<unknown> {
  const r = await sdkCall(p, name, input);
  if (!r.ok) throw new Error(r.error);
  return JSON.parse(r.text);
}

function framed(head: object, data: Uint8Array): Uint8Array {
  const h = Buffer.from(`${JSON.stringify(head)}\n`);
  return new Uint8Array(Buffer.concat([h, data]));
}

const ALGS = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
// Block boundaries (55/56/64, 111/112/128), odd sizes and one multi-megabyte input.
const SIZES = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 4099, 65_537, 3 * 1024 * 1024 + 17];

describe("crypto.subtle in C equals node:crypto", () => {
  test.each(ALGS)("digest %s on seeded random inputs", async (alg) => {
    const node = alg.replace("-", "").toLowerCase();
    for (const [i, n] of SIZES.entries()) {
      const data = randomBytes(i + 1, n);
      const got = await call("hash", framed({ op: "digest", alg }, data));
      expect([n, got]).toEqual([n, { hex: createHash(node).update(data).digest("hex") }]);
    }
  });

  test.each(ALGS)("HMAC %s sign/verify with keys shorter, equal to and longer than a block", async (alg) => {
    const node = alg.replace("-", "").toLowerCase();
    const keySizes = [1, 20, 64, 65, 128, 129, 300];
    for (const [i, n] of [0, 3, 64, 1000, 70_001, 2 * 1024 * 1024 + 5].entries()) {
      const key = randomBytes(100 + i, keySizes[i % keySizes.length] as number);
      const data = randomBytes(200 + i, n);
      const got = await call(
        "hash",
        framed({ op: "hmac", alg, key: Buffer.from(key).toString("hex") }, data),
      );
      expect([n, got]).toEqual([
        n,
        { hex: createHmac(node, key).update(data).digest("hex"), verified: true, forged: false },
      ]);
    }
  });
});

/** Seeded JSON texts: unicode, escapes, lone surrogates, -0, extreme numbers, odd keys, whitespace. */
function randomJsonText(seed: number, maxDepth: number): string {
  let x = seed | 0 || 1;
  const rnd = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)] as T;
  const ws = () => pick(["", "", "", " ", "\n  ", "\t", "\r\n"]);
  const NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "42",
    "0.1",
    "-0.0",
    "1e21",
    "1E-7",
    "1e-7",
    "5e-324",
    "2.5e-324",
    "1.7976931348623157e308",
    "1e400",
    "-1e400",
    "123456789012345678901234567890",
    "9007199254740993",
    "0.30000000000000004",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967295",
    "1.5e+300",
    "100e-2",
    "0e10",
  ];
  const number = () =>
    rnd(3) === 0 ? pick(NUMBERS) : String((rnd(2000000) - 1000000) / pick([1, 1, 10, 7, 1024]));
  const char = (): string => {
    switch (rnd(12)) {
      case 0:
        return pick(["\\n", "\\t", '\\"', "\\\\", "\\/", "\\b", "\\f", "\\r"]);
      case 1:
        return `\\u${rnd(0x10000).toString(16).padStart(4, "0")}`; // includes lone surrogates
      case 2:
        return pick(["\\ud83d\\ude00", "\\ud800", "\\udfff", "\\u0000", "\\u001f", "\\u2028"]);
      case 3:
        return pick(["é", "日本", "😀", "\u00ff", "\u0100", "ß", "\u2029"]);
      default:
        return String.fromCharCode(32 + rnd(95)).replace(/["\\]/, "x");
    }
  };
  const string = () => `"${Array.from({ length: rnd(12) }, char).join("")}"`;
  const KEYS = [
    "a",
    "b",
    "id",
    "name",
    "",
    "0",
    "1",
    "10",
    "01",
    "-1",
    "4294967294",
    "4294967295",
    "__proto__",
    "toJSON",
    "é",
    "a b",
  ];
  const value = (d: number): string => {
    const k = rnd(d >= maxDepth ? 4 : 7);
    if (k === 0) return number();
    if (k === 1) return string();
    if (k === 2) return pick(["true", "false", "null"]);
    if (k === 3) return rnd(2) ? number() : string();
    if (k === 4 || k === 5) {
      const n = rnd(6);
      const parts = Array.from(
        { length: n },
        () =>
          `${ws()}${rnd(3) ? (pick(KEYS) === "" ? '""' : `"${pick(KEYS)}"`) : string()}${ws()}:${ws()}${value(d + 1)}${ws()}`,
      );
      return `{${parts.join(",")}}`;
    }
    return `[${Array.from({ length: rnd(6) }, () => `${ws()}${value(d + 1)}${ws()}`).join(",")}]`;
  };
  return `${ws()}${value(0)}${ws()}`;
}

describe("JSON equals V8's byte for byte", () => {
  const SPACES = [undefined, 2, "\t", "--", 0, 20, "abcdefghijkl", ""];

  test("JSON.stringify(JSON.parse(text), null, space) on seeded random documents", async () => {
    for (let batch = 0; batch < 4; batch++) {
      const cases = Array.from({ length: 150 }, (_, i) => ({
        text: randomJsonText(batch * 1000 + i + 1, 2 + (i % 6)),
        space: SPACES[i % SPACES.length],
      }));
      const want = cases.map((c) => JSON.stringify(JSON.parse(c.text), null, c.space as never));
      expect(await call("json", JSON.stringify(cases))).toEqual(want);
    }
  });

  test("revivers, replacer functions and arrays keep the standard behaviour", async () => {
    const reviver = (k: string, v: unknown) => (typeof v === "number" ? v * 2 : k === "drop" ? undefined : v);
    const cases = Array.from({ length: 60 }, (_, i) => ({
      text: randomJsonText(7000 + i, 4),
      reviver: i % 3 === 0,
      replacer: (["function", "array", undefined] as const)[i % 3],
      space: SPACES[i % SPACES.length],
    }));
    const want = cases.map((c) => {
      const v = JSON.parse(c.text, c.reviver ? reviver : undefined);
      const r =
        c.replacer === "function"
          ? (k: string, x: unknown) =>
              typeof x === "string" ? x.toUpperCase() : k === "skip" ? undefined : x
          : c.replacer === "array"
            ? ["a", "b", "0", "1"]
            : undefined;
      return JSON.stringify(v, r as never, c.space as never);
    });
    expect(await call("json", JSON.stringify(cases))).toEqual(want);
  });

  test("deep nesting (past the fast path's depth) and long strings", async () => {
    const cases = [150, 199, 200, 201, 400].map((d) => ({ text: `${"[".repeat(d)}1${"]".repeat(d)}` }));
    cases.push({ text: `{"a":${'{"b":'.repeat(300)}null${"}".repeat(300)}}` });
    cases.push({ text: JSON.stringify("x\u00e9\ud800😀".repeat(100_000)) });
    expect(await call("json", JSON.stringify(cases))).toEqual(
      cases.map((c) => JSON.stringify(JSON.parse(c.text))),
    );
  });

  // Evaluated by the plugin (QuickJS) and by Node (V8): values JSON text cannot express.
  const BUILT = `(() => {
    const sparse = [1, , 3]; sparse[8] = "x";
    const extra = [1, 2]; extra.name = "not printed";
    const cyc = { a: 1 }; cyc.self = cyc;
    const cycArr = [1]; cycArr.push(cycArr);
    const getter = { a: 1, get b() { return 2; }, c: 3 };
    const hidden = Object.defineProperty({ a: 1 }, "h", { value: 2, enumerable: false });
    const nullProto = Object.assign(Object.create(null), { z: 1, a: [2] });
    class Point { constructor() { this.x = 1; this.y = -0; } }
    const withSym = { a: 1, [Symbol("s")]: 2, s: Symbol("v"), f() {}, u: undefined };
    const ordered = { b: 1, 2: "two", a: 2, 1: "one", "-1": "neg", "4294967295": "big" };
    const deleted = { a: 1, b: 2, c: 3 }; delete deleted.b; deleted.d = 4;
    const proxy = new Proxy({ a: 1, b: [2] }, { get: (t, k) => (k === "a" ? 42 : t[k]) });
    const arrProxy = new Proxy([1, 2, 3], {});
    const nested = { list: [{ toJSON: () => "custom" }, new Date(0), /re/g, new Map([[1, 2]]), new Uint8Array([1, 2])] };
    const boxed = [new String("s"), new Number(-0), new Boolean(false), Object(1n) ? 0 : 0];
    return [
      [sparse], [extra], [cyc], [cycArr], [getter], [hidden], [nullProto], [new Point()], [withSym],
      [ordered], [deleted], [proxy], [arrProxy], [nested], [boxed],
      [[-0, 0, 1e21, 1e-7, 5e-324, -1.7976931348623157e308, NaN, Infinity, -Infinity, 2 ** 53 + 2, 0.1 + 0.2]],
      ["\\ud800 lone \\udc00 pair \\ud83d\\ude00 \\u2028 \\u0000 \\u001f \\u007f é"],
      [{ a: [1, { b: 2 }], c: {} , d: [] }, null, 3], [{ a: [1, { b: 2 }], c: {}, d: [] }, null, "\t\u00e9"],
      [{ a: 1n }], [[1n]], [undefined], [() => 1], [Symbol("x")], [null], [true], ["str"], [42],
      [{ a: undefined, b: () => 0 }, null, 2], [[undefined, () => 0, Symbol()]],
      [{ date: new Date(Date.UTC(2020, 0, 2)) }],
      [Object.defineProperty([1, 2], "toJSON", { value: () => "arr" })],
      [{ a: 1 }, ["a", "b", 1]], [{ a: 1, b: { a: 2, c: 3 } }, (k, v) => (k === "c" ? undefined : v)],
      [{ x: 1 }, null, new Number(3)], [{ x: 1 }, null, new String("ab")],
      [Object.assign([1, 2, 3], { 5: 6 })], [new Array(3)], [Array.from({ length: 3 })],
      [(() => { const a = [1, 2]; a.length = 4; return a; })()], [(() => { const a = [1, 2, 3]; a.length = 1; return a; })()],
      [(() => { const a = []; a[2] = 1; return a; })()], [[[], {}, [[]], [{}]], null, 1],
    ];
  })()`;

  test("values only code can build: sparse arrays, toJSON, getters, proxies, cycles, ordering", async () => {
    const got = (await call("jsonEval", BUILT)) as string[];
    const cases = new Function(`return ${BUILT}`)() as Array<[unknown, unknown?, unknown?]>;
    const want = cases.map(([v, r, s]) => {
      try {
        return JSON.stringify(v, r as never, s as never) ?? null;
      } catch (e) {
        return `<${(e as Error).name}>`;
      }
    });
    expect(got).toEqual(want);
  });

  // each in a fresh instance: these change the built-in prototypes for good
  async function freshEval(src: string): Promise<unknown> {
    const fresh = await sdkPlugin(b);
    try {
      const r = await sdkCall(fresh, "jsonEval", src);
      return r.ok ? JSON.parse(r.text) : r.error;
    } finally {
      await fresh.close();
    }
  }

  test("an inherited toJSON added at run time is honoured (the fast path steps aside)", async () => {
    const src = `(() => { Object.prototype.toJSON = function () { return this.m ? "P" : this; }; return [[{ m: 1 }], [[{ m: 1 }, 2]], [{ a: { m: 1 } }]]; })()`;
    expect(await freshEval(src)).toEqual(['"P"', '["P",2]', '{"a":"P"}']);
  });

  test("a Proxy on the prototype chain is asked for toJSON", async () => {
    const src = `(() => {
      const trap = new Proxy(Object.create(null), { get: (t, k) => (k === "toJSON" ? function () { return this.length === 2 ? "T" : this; } : undefined) });
      Object.setPrototypeOf(Array.prototype, trap);
      return [[[1, 2]], [[1, 2, 3]], [{ a: [1, 2] }]];
    })()`;
    expect(await freshEval(src)).toEqual(['"T"', "[1,2,3]", '{"a":"T"}']);
  });
});

// What JSON.parse built, beyond what JSON.stringify shows: key order, own "__proto__" keys,
// prototypes, property attributes, -0, number values, array lengths. Evaluated by the plugin
// (QuickJS, the native parser) and by Node (V8).
const DESCRIBE = `(v) => {
  const d = (v) => {
    if (v === null || typeof v === "boolean") return v;
    if (typeof v === "number") return Object.is(v, -0) ? "-0" : "n:" + String(v);
    if (typeof v === "string") return "s:" + v;
    if (Array.isArray(v))
      return ["A", v.length, Object.getPrototypeOf(v) === Array.prototype, Object.getOwnPropertyNames(v).length, ...v.map(d)];
    const attrs = (k) => { const p = Object.getOwnPropertyDescriptor(v, k); return p.writable && p.enumerable && p.configurable; };
    return ["O", Object.getPrototypeOf(v) === Object.prototype, Object.getOwnPropertyNames(v).join(","),
      ...Object.keys(v).map((k) => [k, attrs(k), d(v[k])])];
  };
  return d(v);
}`;

/** Seeded texts of many records: the same keys (shape reuse), reordered, repeated, one more,
 *  or one of many key sets that differ after the first key. */
function recordsText(seed: number): string {
  let x = seed;
  const rnd = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const shapes = [
    ["id", "name", "tags"],
    ["name", "id", "tags"],
    ["id", "name", "tags", "id"],
    ["id", "name"],
    ["id", "name", "tags", "extra"],
    ["__proto__", "id"],
    ["1", "id", "0"],
    [],
  ];
  const items = Array.from({ length: 400 + rnd(400) }, (_, i) => {
    // one family of 1,000 key sets of the same length and first key: more than the shape
    // cache has slots, so sets that differ only after the first key meet in one slot
    const keys =
      rnd(3) === 0 ? ["id", `k${rnd(1000)}`] : (shapes[rnd(4) === 0 ? rnd(shapes.length) : 0] as string[]);
    return `{${keys.map((k) => `"${k}":${k === "tags" ? `["t${i % 3}",${i}]` : rnd(2) ? i : `"v${i}"`}`).join(",")}}`;
  });
  return `[${items.join(",")}]`;
}

/** Seeded number literals across the fast conversion's edges (digits, exponents, zeros, -0). */
function numbersText(seed: number): string {
  let x = seed;
  const rnd = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const digits = (n: number, lead = true) =>
    Array.from({ length: n }, (_, i) => String(i === 0 && lead ? 1 + rnd(9) : rnd(10))).join("");
  const nums = Array.from({ length: 300 }, () => {
    const sign = rnd(3) === 0 ? "-" : "";
    const int = rnd(5) === 0 ? "0" : digits(1 + rnd(20));
    const frac = rnd(2) ? `.${rnd(4) === 0 ? "0".repeat(rnd(30)) : ""}${digits(rnd(20) + 1, false)}` : "";
    const exp = rnd(2)
      ? `${rnd(2) ? "e" : "E"}${["", "+", "-"][rnd(3)]}${rnd(4) === 0 ? 300 + rnd(40) : rnd(30)}`
      : "";
    return `${sign}${int}${frac}${exp}`;
  });
  return `[${nums.join(",")}]`;
}

describe("JSON.parse (native for plain data) builds what V8 builds", () => {
  async function compare(texts: string[]): Promise<void> {
    const src = `(() => { const describe = ${DESCRIBE}; return ${JSON.stringify(texts)}.map((t) => { try { return [describe(JSON.parse(t))]; } catch (e) { return ["<" + e.name + ">"]; } }); })()`;
    const got = (await call("jsonEval", src)) as string[];
    const describe = new Function(`return ${DESCRIBE}`)() as (v: unknown) => unknown;
    const want = texts.map((t) => {
      try {
        return JSON.stringify(describe(JSON.parse(t)));
      } catch (e) {
        return JSON.stringify(`<${(e as Error).name}>`);
      }
    });
    expect(got).toEqual(want);
  }

  test("seeded random documents: keys, duplicates, __proto__, index keys, -0, unicode, 8- and 16-bit text", async () => {
    for (let batch = 0; batch < 3; batch++) {
      const texts = Array.from({ length: 120 }, (_, i) =>
        randomJsonText(20_000 + batch * 1000 + i, 2 + (i % 6)),
      );
      // the same documents as 16-bit strings (a character above Latin-1 in a leading key)
      texts.push(...texts.slice(0, 40).map((t) => `{"\u0100Ā":${t}}`));
      await compare(texts);
    }
  });

  test("records with repeated key sets (shape reuse), reordered, duplicated and extra keys", async () => {
    await compare(Array.from({ length: 16 }, (_, i) => recordsText(900 + i)));
  });

  test("numbers: every digit count and exponent around the exact fast conversion", async () => {
    await compare(Array.from({ length: 20 }, (_, i) => numbersText(77 + i)));
  });

  test("texts that are not plain strings take the standard path: ToString, then parse", async () => {
    const src = `(() => {
      const calls = [];
      const obj = { toString() { calls.push("toString"); return '{"a":[1,2]}'; } };
      const out = [JSON.parse(obj), JSON.parse(new String("[3]")), JSON.parse(123), JSON.parse(null), JSON.parse(true)];
      let err = "";
      try { JSON.parse(undefined); } catch (e) { err = e.name; }
      return [[out], [calls], [err]];
    })()`;
    const got = await call("jsonEval", src);
    const cases = new Function(`return ${src}`)() as Array<[unknown]>;
    expect(got).toEqual(cases.map(([v]) => JSON.stringify(v)));
  });

  test("objects that share a parsed shape stay independent when changed", async () => {
    const src = `(() => {
      const xs = JSON.parse('[{"a":1,"b":2},{"a":3,"b":4},{"a":5,"b":6},{"a":7,"b":8}]');
      xs[0].c = 1; delete xs[1].a; xs[2].b = 9; Object.defineProperty(xs[3], "a", { enumerable: false });
      Object.freeze(xs[2]);
      const again = JSON.parse('[{"a":1,"b":2},{"b":1,"a":2}]');
      again[0].z = [xs[2].b, Object.isFrozen(again[0]), Object.isFrozen(xs[2])];
      const long = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ k: i, ["x" + (i % 3)]: "é" })));
      const rope = JSON.parse("[" + long.slice(1, -1) + "," + long.slice(1, -1) + "]");
      return [[xs], [again], [Object.keys(xs[3])], [rope.length], [rope[3999]]];
    })()`;
    const got = await call("jsonEval", src);
    const cases = new Function(`return ${src}`)() as Array<[unknown]>;
    expect(got).toEqual(cases.map(([v]) => JSON.stringify(v)));
  });
});

describe("bad JSON input", () => {
  test("malformed JSON is a SyntaxError naming the line and column", async () => {
    const texts = [
      '{"a":1,}',
      '{\n  "a": 1,\n  "b": [1, 2,, 3]\n}',
      "",
      "[1, 2",
      '{"a" 1}',
      "tru",
      '{"a":1}x',
      "\n\n   @",
    ];
    const got = (await call("json", JSON.stringify(texts.map((text) => ({ text }))))) as string[];
    expect(got).toEqual([
      "SyntaxError: expecting property name in JSON at line 1, column 8",
      "SyntaxError: unexpected token: ',' in JSON at line 3, column 14",
      "SyntaxError: Unexpected end of JSON input in JSON at line 1, column 1",
      "SyntaxError: expecting ']' in JSON at line 1, column 6",
      "SyntaxError: expecting ':' in JSON at line 1, column 6",
      "SyntaxError: unexpected token: 'tru' in JSON at line 1, column 1",
      "SyntaxError: unexpected data at the end in JSON at line 1, column 8",
      "SyntaxError: unexpected token: '@' in JSON at line 3, column 4",
    ]);
  });

  test("malformed numbers are SyntaxErrors as in V8; valid ones parse to the same values", async () => {
    const bad = ["01", "-", "1.", "-01", "1e", "+1", "0x10", ".5", "- 1", "1_000"];
    const got = (await call("json", JSON.stringify(bad.map((text) => ({ text }))))) as string[];
    expect(got.map((g) => g.split(":")[0])).toEqual(bad.map(() => "SyntaxError"));
    const good = [
      "0",
      "-0",
      "7",
      "-7",
      "123456789",
      "-123456789",
      "1234567890",
      "-2147483648",
      "2147483648",
      "1e2",
      "0.5",
      "-0.0",
      "999999999e0",
    ];
    expect(await call("json", JSON.stringify(good.map((text) => ({ text: `[${text}]` }))))).toEqual(
      good.map((t) => JSON.stringify(JSON.parse(`[${t}]`))),
    );
  });

  test("nesting is capped: deep documents and deep values fail cleanly, the instance survives", async () => {
    const deep = [{ text: "[".repeat(100_000) }, { text: '{"a":'.repeat(100_000) }];
    const got = (await call("json", JSON.stringify(deep))) as string[];
    for (const g of got) expect(g).toMatch(/^SyntaxError: stack overflow in JSON at line 1, column \d+$/);
    const built = `(() => { let a = []; let o = {}; for (let i = 0; i < 100000; i++) { a = [a]; o = { o }; } return [[a], [o]]; })()`;
    expect(await call("jsonEval", built)).toEqual(["<InternalError>", "<InternalError>"]);
    expect(await call("json", JSON.stringify([{ text: "[1]" }]))).toEqual(["[1]"]);
  });

  test("a document larger than the memory cap is an out-of-memory error, not a crash", async () => {
    const small = await sdkPlugin(b, { config: { "capstan.memory_mb": "24" } });
    try {
      const big = JSON.stringify([{ text: jsonOfSize(12 << 20) }]);
      const r = await sdkCall(small, "json", big);
      expect(r.ok ? r.text : r.error).toMatch(/out of memory/);
      const again = await sdkCall(small, "json", JSON.stringify([{ text: "[1]" }]));
      expect(again.ok && again.text).toBe('["[1]"]');
    } finally {
      await small.close();
    }
  });
});

function jsonOfSize(bytes: number): string {
  const item = JSON.stringify({ id: 1, name: "item", tags: ["a", "b"], nested: { ok: true } });
  return `[${Array.from({ length: Math.ceil(bytes / item.length) }, () => item).join(",")}]`;
}
