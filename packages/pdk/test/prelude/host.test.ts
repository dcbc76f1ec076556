// Host, Config, Var, Memory/MemoryHandle, host functions and console against the fake kernel.
import { describe, expect, test } from "@jest/globals";
import { createRealm } from "../support/prelude-vm.js";

describe("kernel capture", () => {
  test("the prelude deletes the __capstan global and installs non-enumerable globals", async () => {
    const r = await createRealm();
    expect(r.run(`typeof __capstan`)).toBe("undefined");
    expect(
      r.run(`Object.keys(globalThis).filter((k) => ["Host", "Var", "console", "URL"].includes(k)).length`),
    ).toBe(0);
    expect(
      r.run(
        `["Host","Config","Var","Http","Memory","MemoryHandle","console","TextEncoder","TextDecoder","URL","URLSearchParams","atob","btoa","structuredClone","crypto","performance","queueMicrotask","setTimeout","clearTimeout","fetch","Headers","Request","Response","Event","EventTarget","DOMException","URLPattern","Buffer","AbortController","AbortSignal"].filter((k) => typeof globalThis[k] === "undefined")`,
      ),
    ).toEqual([]);
  });

  test("self is the global object (browsers, workers, js-pdk)", async () => {
    const r = await createRealm();
    expect(r.run(`self === globalThis && self.Host === Host`)).toBe(true);
    expect(r.run(`Object.keys(globalThis).includes("self")`)).toBe(false);
  });
});

describe("Host input/output", () => {
  test("inputBytes/inputString read the input; binary input survives", async () => {
    const bytes = new Uint8Array([0, 255, 1, 128, 10]);
    const r = await createRealm({ input: bytes });
    expect(r.run(`Array.from(new Uint8Array(Host.inputBytes()))`)).toEqual(Array.from(bytes));
    r.fake.setInput("héllo 😀");
    expect(r.run(`Host.inputString()`)).toBe("héllo 😀");
  });
  test("outputBytes accepts ArrayBuffer, typed arrays with offsets and DataView; outputString encodes UTF-8", async () => {
    const r = await createRealm();
    const out = () => Array.from(r.fake.output() ?? []);
    expect(r.run(`Host.outputBytes(new Uint8Array([1, 2, 3]).buffer)`)).toBe(true);
    expect(out()).toEqual([1, 2, 3]);
    r.run(`Host.outputBytes(new Uint8Array([9, 8, 7, 6]).subarray(1, 3))`);
    expect(out()).toEqual([8, 7]);
    r.run(`Host.outputBytes(new Uint16Array([0x0102]))`);
    expect(out()).toEqual([2, 1]);
    r.run(`Host.outputBytes(new DataView(new Uint8Array([5, 6, 7]).buffer, 2))`);
    expect(out()).toEqual([7]);
    r.run(`Host.outputString("héllo 😀")`);
    expect(Buffer.from(r.fake.output() ?? []).toString()).toBe("héllo 😀");
    r.run(`Host.outputString("bad \\ud800 surrogate")`);
    expect(Buffer.from(r.fake.output() ?? []).toString()).toBe("bad \ufffd surrogate");
  });
});

describe("Config and Var", () => {
  test("Config.get returns values or null", async () => {
    const r = await createRealm({ config: { region: "eu-west-1", empty: "" } });
    expect(r.run(`[Config.get("region"), Config.get("empty"), Config.get("missing")]`)).toEqual([
      "eu-west-1",
      "",
      null,
    ]);
  });
  test("Var stores strings and bytes, reads them back, deletes with null", async () => {
    const r = await createRealm();
    r.run(
      `Var.set("s", "héllo"); Var.set("b", new Uint8Array([0, 200, 3])); Var.set("ab", new Uint8Array([7]).buffer)`,
    );
    expect(r.run(`Var.getString("s")`)).toBe("héllo");
    expect(r.run(`Array.from(new Uint8Array(Var.getBytes("b")))`)).toEqual([0, 200, 3]);
    expect(r.run(`Array.from(new Uint8Array(Var.getBytes("ab")))`)).toEqual([7]);
    expect(r.run(`[Var.getString("none"), Var.getBytes("none")]`)).toEqual([null, null]);
    expect(Buffer.from(r.fake.vars.get("s") ?? []).toString()).toBe("héllo");
    r.run(`Var.set("s", null)`);
    expect(r.fake.vars.has("s")).toBe(false);
  });
});

describe("Memory and MemoryHandle", () => {
  test("fromString/fromBuffer/fromJsonObject and reads", async () => {
    const r = await createRealm();
    expect(
      r.run(
        `(() => { const m = Memory.fromString("héllo"); return [m.len, m.readString(), typeof m.offset]; })()`,
      ),
    ).toEqual([6, "héllo", "number"]);
    expect(
      r.run(
        `(() => { const m = Memory.fromBuffer(new Uint8Array([1, 2, 3]).buffer); return [m.len, Array.from(new Uint8Array(m.readBytes()))]; })()`,
      ),
    ).toEqual([3, [1, 2, 3]]);
    expect(
      r.run(
        `(() => { const m = Memory.fromBuffer(new Uint8Array([4, 5, 6]).subarray(1)); return Array.from(new Uint8Array(m.readBytes())); })()`,
      ),
    ).toEqual([5, 6]);
    expect(r.run(`Memory.fromJsonObject({ a: [1, "x"] }).readJsonObject()`)).toEqual({ a: [1, "x"] });
  });
  test("scalar allocations and readers, including readUFloat64", async () => {
    const r = await createRealm();
    expect(
      r.run(
        `[Memory.allocUInt32(4000000000).readUInt32(), String(Memory.allocUInt64(2n ** 64n - 1n).readUInt64()), Memory.allocFloat32(1.5).readFloat32(), Memory.allocFloat64(Math.PI).readUFloat64(), Memory.allocFloat64(2.5).readFloat64()]`,
      ),
    ).toEqual([4000000000, "18446744073709551615", 1.5, Math.PI, 2.5]);
    expect(r.run(`Memory.allocUInt32(1).len`)).toBe(4);
  });
  test("find and free work on kernel blocks; MemoryHandle can be constructed", async () => {
    const r = await createRealm();
    const off = r.run<number>(`Memory.fromString("abc").offset`);
    expect(r.run(`(() => { const h = Memory.find(${off}); return [h.len, h.readString()]; })()`)).toEqual([
      3,
      "abc",
    ]);
    expect(r.run(`new MemoryHandle(${off}, 3).readString()`)).toBe("abc");
    expect(r.run(`Memory.find(BigInt(${off})).readString()`)).toBe("abc");
    r.run(`Memory.find(${off}).free()`);
    expect(r.fake.blocks.has(off)).toBe(false);
  });
});

describe("host functions", () => {
  test("getFunctions exposes declared imports by name with every parameter type", async () => {
    const calls: unknown[][] = [];
    const r = await createRealm({
      hostFunctions: [
        {
          name: "add_i32",
          params: ["I32", "I32"],
          result: "I32",
          impl: (a, b) => {
            calls.push([a, b]);
            return Number(a) + Number(b);
          },
        },
        {
          name: "echo_i64",
          params: ["I64"],
          result: "I64",
          impl: (a) => {
            calls.push([a]);
            return a;
          },
        },
        { name: "scale_f", params: ["F32", "F64"], result: "F64", impl: (a, b) => Number(a) * Number(b) },
        {
          name: "notify",
          params: ["I64"],
          result: "void",
          impl: (a) => {
            calls.push(["notify", a]);
            return 7;
          },
        },
      ],
    });
    expect(r.run(`Object.keys(Host.getFunctions())`)).toEqual(["add_i32", "echo_i64", "scale_f", "notify"]);
    expect(r.run(`Host.getFunctions().add_i32(2, 3)`)).toBe(5);
    expect(r.run(`String(Host.getFunctions().echo_i64(2n ** 60n))`)).toBe(String(2n ** 60n));
    expect(r.run(`Host.getFunctions().scale_f(1.5, 4)`)).toBe(6);
    expect(r.run(`Host.getFunctions().notify(Memory.fromString("x"))`)).toBeUndefined();
    expect(r.run(`Host.invokeFunc(0, 40, 2)`)).toBe(42);
    expect(calls.at(-2)?.[0]).toBe("notify");
    expect(
      r.run(`(() => { try { Host.getFunctions().add_i32("x", 1); } catch (e) { return e.name; } })()`),
    ).toBe("TypeError");
  });
  test("the js-pdk Host.__hostFunctions list is honoured when the kernel has none", async () => {
    const r = await createRealm({
      hostFunctions: [{ name: "first", params: ["I64"], result: "I64", impl: (a) => a }],
    });
    r.fake.kernel.hostFunctions = undefined;
    expect(r.run(`Object.keys(Host.getFunctions())`)).toEqual([]);
    r.run(`Host.__hostFunctions = [{ name: "first", results: 1 }, "second"]`);
    expect(r.run(`Object.keys(Host.getFunctions())`)).toEqual(["first", "second"]);
    expect(r.run(`Host.getFunctions().first(11)`)).toBe(11);
  });
});

describe("console", () => {
  test("methods map to Extism log levels and format like Node", async () => {
    const r = await createRealm();
    r.run(`console.log("a", 1, { b: [1, "x"] }); console.info("i"); console.warn("w"); console.error("e"); console.debug("d"); console.trace("t");
      console.log("%s is %d years", "Bob", 42, "extra"); console.assert(1 === 2, "math"); console.assert(true, "never");`);
    expect(r.fake.logs).toEqual([
      [2, "a 1 { b: [ 1, 'x' ] }"],
      [2, "i"],
      [3, "w"],
      [4, "e"],
      [1, "d"],
      [0, "t"],
      [2, "Bob is 42 years extra"],
      [4, "Assertion failed: math"],
    ]);
  });
  test("levels below the host's log level are skipped", async () => {
    const r = await createRealm({ logLevel: 3 });
    r.run(`console.debug("no"); console.log("no"); console.warn("yes"); console.error("yes")`);
    expect(r.fake.logs.map(([l]) => l)).toEqual([3, 4]);
  });
  test("count, time, group and table", async () => {
    const r = await createRealm();
    r.run(`console.count(); console.count(); console.count("x"); console.countReset(); console.count();
      console.time("t"); console.timeEnd("t"); console.group("G"); console.log("inner"); console.groupEnd(); console.log("outer");
      console.table([{ a: 1, b: "y" }, { a: 2 }]);`);
    const msgs = r.fake.logs.map(([, m]) => m);
    expect(msgs.slice(0, 4)).toEqual(["default: 1", "default: 2", "x: 1", "default: 1"]);
    expect(msgs[4]).toMatch(/^t: \d+\.\d{3}ms$/);
    expect(msgs.slice(5, 8)).toEqual(["G", "  inner", "outer"]);
    expect(msgs[8]).toContain("(index)");
    expect(msgs[8]).toContain("'y'");
  });
  test("inspect covers Map, Set, Date, errors, nesting depth and cycles", async () => {
    const r = await createRealm();
    r.run(
      `const o = { m: new Map([["k", 1]]), s: new Set([1]), deep: { a: { b: { c: { d: 1 } } } }, f: function named() {}, u8: new Uint8Array([1, 2]) }; o.self = o; console.log(o); console.log(new Date(0)); console.log([undefined, null, -0, 1n, Symbol("s")]);`,
    );
    const [a, b, c] = r.fake.logs.map(([, m]) => m);
    expect(a).toContain("Map(1) { 'k' => 1 }");
    expect(a).toContain("Set(1) { 1 }");
    expect(a).toContain("[Object]");
    expect(a).toContain("[Function: named]");
    expect(a).toContain("Uint8Array(2) [ 1, 2 ]");
    expect(a).toContain("[Circular *1]");
    expect(b).toBe("1970-01-01T00:00:00.000Z");
    expect(c).toBe("[ undefined, null, -0, 1n, Symbol(s) ]");
  });
});
