// The English Intl (NumberFormat, DateTimeFormat, Collator, PluralRules) and the built-in
// toLocaleString/localeCompare rebuilt on it, compared with Node's ICU for "en"/"en-US" in UTC;
// other locales and unsupported options throw instead of answering differently.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { createRealm, type PluginRealm } from "../support/prelude-vm.js";

let r: PluginRealm;
beforeAll(async () => {
  r = await createRealm();
});

// Runs `expr` (a function of x) for each case in the plugin realm and in Node.
function same(expr: string, cases: unknown[]): void {
  const node = new Function("x", `return ${expr}`) as (x: unknown) => unknown;
  // as source text: JSON would turn -0 into 0 and NaN into null
  const literal = (c: unknown) =>
    Object.is(c, -0) ? "-0" : typeof c === "number" ? String(c) : JSON.stringify(c);
  const got = r.run<unknown[]>(`[${cases.map(literal).join(",")}].map((x) => ${expr})`);
  expect(got).toEqual(cases.map((x) => node(x)));
}

const numbers = [
  0,
  -0,
  1,
  -1,
  7,
  16134,
  16134.5,
  -1234.567,
  0.07,
  1.005,
  0.000123,
  123.456,
  999.9995,
  1e21,
  2 ** 53,
  NaN,
];
const numberOptions = [
  {},
  { maximumFractionDigits: 2 },
  { minimumFractionDigits: 2 },
  { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  { maximumFractionDigits: 0 },
  { style: "percent" },
  { style: "percent", minimumFractionDigits: 1 },
  { style: "currency", currency: "USD" },
  { style: "currency", currency: "EUR" },
  { style: "currency", currency: "JPY" },
  { style: "currency", currency: "CHF" },
  { style: "currency", currency: "USD", maximumFractionDigits: 0 },
  { useGrouping: false },
  { minimumIntegerDigits: 3 },
  { maximumSignificantDigits: 2 },
  { minimumSignificantDigits: 5 },
  { signDisplay: "always" },
  { signDisplay: "exceptZero" },
  { signDisplay: "never" },
];

describe("Intl.NumberFormat and toLocaleString", () => {
  test.each(numberOptions.map((o) => [JSON.stringify(o)]))("options %s", (o) => {
    same(`new Intl.NumberFormat("en-US", ${o}).format(x)`, numbers);
    same(`x.toLocaleString("en", ${o})`, numbers);
  });
  test("the issue's example, BigInt and arrays", () => {
    expect(r.run(`(16134).toLocaleString("en-US")`)).toBe("16,134");
    same(`x.toLocaleString()`, [16134, 1234567.891]);
    expect(r.run(`(12345678901234567890n).toLocaleString()`)).toBe(
      12345678901234567890n.toLocaleString("en-US"),
    );
    expect(r.run(`[1234, 5678].toLocaleString()`)).toBe([1234, 5678].toLocaleString("en-US"));
  });
});

const dates = [
  Date.UTC(2026, 11, 4, 16, 55, 7),
  Date.UTC(2001, 0, 2, 0, 5, 9),
  Date.UTC(1999, 6, 31, 12, 0, 0),
];
const dateOptions = [
  {},
  { dateStyle: "full" },
  { dateStyle: "long" },
  { dateStyle: "medium" },
  { dateStyle: "short" },
  { timeStyle: "short" },
  { timeStyle: "medium" },
  { timeStyle: "long" },
  { dateStyle: "full", timeStyle: "full" },
  { dateStyle: "medium", timeStyle: "short" },
  { year: "numeric", month: "long", day: "numeric" },
  { weekday: "long", year: "numeric", month: "long", day: "numeric" },
  { weekday: "short", month: "short", day: "numeric" },
  { month: "long", year: "numeric" },
  { month: "long" },
  { year: "numeric", month: "2-digit", day: "2-digit" },
  { year: "2-digit", month: "numeric", day: "numeric" },
  { hour: "numeric" },
  { hour: "2-digit", minute: "2-digit" },
  { hour: "numeric", minute: "2-digit", hour12: false },
  { hour: "numeric", minute: "2-digit", second: "2-digit", hour12: false },
  { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" },
  { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" },
  { hour: "numeric", minute: "2-digit", timeZoneName: "short" },
];

describe("Intl.DateTimeFormat and Date#toLocale*String (UTC)", () => {
  test.each(dateOptions.map((o) => [JSON.stringify(o)]))("options %s", (o) => {
    const withUtc = `Object.assign(${o}, { timeZone: "UTC" })`;
    same(`new Intl.DateTimeFormat("en-US", ${withUtc}).format(x)`, dates);
  });
  test("toLocaleString, toLocaleDateString, toLocaleTimeString with defaults", () => {
    for (const m of ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"])
      same(`new Date(x).${m}("en-US", { timeZone: "UTC" })`, dates);
    expect(r.run(`new Date(${dates[0]}).toLocaleString()`)).toBe(
      new Date(dates[0] as number).toLocaleString("en-US", { timeZone: "UTC" }),
    );
    expect(r.run(`new Date(NaN).toLocaleString()`)).toBe("Invalid Date");
  });
});

describe("Intl.Collator and localeCompare", () => {
  const words = [
    "b",
    "a",
    "B",
    "ä",
    "Äpfel",
    "apple",
    "_x",
    "x y",
    "x-y",
    "item10",
    "item2",
    "Zebra",
    "zebra",
    "éclair",
    "eclair",
    "Eclair",
    "1a",
    "a1",
    "",
  ];
  test("sorting matches Node's en collation (default, numeric, base sensitivity)", () => {
    same(`x.slice().sort(new Intl.Collator("en").compare)`, [words]);
    same(`x.slice().sort((a, b) => a.localeCompare(b))`, [words]);
    same(`x.slice().sort(new Intl.Collator("en", { numeric: true }).compare)`, [words]);
    same(`x.map((w) => new Intl.Collator("en", { sensitivity: "base" }).compare(w, "a"))`, [words]);
    same(`x.map((w) => new Intl.Collator("en", { sensitivity: "accent" }).compare(w, "A"))`, [words]);
  });
  test("printable ASCII sorts in CLDR root order", () => {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    same(`x.slice().sort(new Intl.Collator("en").compare).join("")`, [ascii]);
  });
});

describe("Intl.PluralRules", () => {
  const ns = [0, 1, -1, 1.5, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112];
  test("cardinal and ordinal", () => {
    same(`new Intl.PluralRules("en").select(x)`, ns);
    same(`new Intl.PluralRules("en-US", { type: "ordinal" }).select(x)`, ns);
  });
});

describe("never silently wrong", () => {
  test.each([
    [`(1).toLocaleString("de-DE")`, /locale "de-DE" is not available in a Capstan plugin/],
    [
      `new Intl.DateTimeFormat("en", { timeZone: "Europe/Berlin" })`,
      /time zone "Europe\/Berlin" is not available/,
    ],
    [`new Intl.NumberFormat("en", { notation: "compact" })`, /notation "compact" is not supported/],
    [`new Intl.NumberFormat("en", { style: "unit", unit: "meter" })`, /style "unit" is not supported/],
    [`"a".localeCompare("b", "sv")`, /locale "sv" is not available/],
    [`new Date(0).toLocaleDateString("fr")`, /locale "fr" is not available/],
  ])("%s throws a RangeError", (code, message) => {
    expect(
      r.run(`(() => { try { ${code}; return null; } catch (e) { return e.name + ": " + e.message; } })()`),
    ).toMatch(new RegExp(`^RangeError: .*${message.source}`));
  });
});
