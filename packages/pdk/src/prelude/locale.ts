// The locale-sensitive built-in methods QuickJS answers in a fixed, non-English way
// ((16134).toLocaleString("en-US") was "16134") are rebuilt on the prelude's English `Intl`
// (intl.ts, loaded on first use): same results as Node for "en"/"en-US", a RangeError for
// other locales.
import type { DateDefaults, EnglishIntl } from "./intl.js";

type Locales = string | string[] | undefined;
const intl = (): typeof EnglishIntl => (globalThis as unknown as { Intl: typeof EnglishIntl }).Intl;

function method(proto: object, name: string, fn: (this: unknown, ...a: never[]) => unknown): void {
  Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

function toLocaleNumber(this: unknown, locales?: Locales, options?: object): string {
  return new (intl().NumberFormat)(locales, options).format(this as number);
}
method(Number.prototype, "toLocaleString", function (this: unknown, locales?: Locales, options?: object) {
  return toLocaleNumber.call(Number.prototype.valueOf.call(this), locales, options);
});
method(BigInt.prototype, "toLocaleString", function (this: unknown, locales?: Locales, options?: object) {
  return toLocaleNumber.call(BigInt.prototype.valueOf.call(this), locales, options);
});

function dateMethod(name: string, defaults: DateDefaults): void {
  method(Date.prototype, name, function (this: unknown, locales?: Locales, options?: object) {
    const t = Date.prototype.getTime.call(this);
    if (Number.isNaN(t)) return "Invalid Date";
    const DTF = intl().DateTimeFormat as unknown as new (
      l?: Locales,
      o?: object,
      d?: DateDefaults,
    ) => {
      format(d: number): string;
    };
    return new DTF(locales, options, defaults).format(t);
  });
}
dateMethod("toLocaleString", "all");
dateMethod("toLocaleDateString", "date");
dateMethod("toLocaleTimeString", "time");

method(
  String.prototype,
  "localeCompare",
  function (this: unknown, that: unknown, locales?: Locales, options?: object) {
    if (this === null || this === undefined)
      throw new TypeError("String.prototype.localeCompare called on null or undefined");
    return new (intl().Collator)(locales, options).compare(String(this), String(that));
  },
);
