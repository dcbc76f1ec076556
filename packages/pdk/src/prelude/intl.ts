// Intl for English (QuickJS has no Intl): NumberFormat, DateTimeFormat, Collator and
// PluralRules for "en"/"en-US" in UTC (a plugin's local time zone is UTC), matching Node's ICU
// output for the options below. Anything else (another locale or time zone, notation
// "compact", style "unit", formatToParts...) throws a RangeError naming what is missing: never
// a silently different result. toLocaleString & co are rebuilt on it by locale.ts.
import { defineGlobal } from "./define.js";

type Locales = string | readonly string[] | undefined;

/** The locale to use: "en" or "en-US" (with extensions dropped); RangeError for others. */
function english(locales: Locales, what: string): string {
  const list = locales === undefined ? [] : typeof locales === "string" ? [locales] : [...locales];
  for (const l of list) {
    if (typeof l !== "string" || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l))
      throw new RangeError(`Incorrect locale information provided: ${String(l)}`);
  }
  if (list.length === 0) return "en-US";
  const base = (list[0] as string).split("-u-")[0] as string;
  if (/^en(-US)?$/i.test(base)) return base.length === 2 ? "en" : "en-US";
  throw new RangeError(
    `${what}: locale "${list[0]}" is not available in a Capstan plugin (only "en" and "en-US"; docs/pdk.md)`,
  );
}

function unsupported(what: string, option: string, value: unknown): never {
  throw new RangeError(
    `${what}: ${option} "${String(value)}" is not supported in a Capstan plugin (docs/pdk.md)`,
  );
}

function supportedLocalesOf(locales: Locales): string[] {
  try {
    return locales === undefined ? [] : [english(locales, "supportedLocalesOf")];
  } catch {
    return [];
  }
}

// ---------- numbers ----------

interface NumberOptions {
  style?: string;
  currency?: string;
  currencyDisplay?: string;
  notation?: string;
  signDisplay?: string;
  useGrouping?: boolean | string;
  minimumIntegerDigits?: number;
  minimumFractionDigits?: number;
  maximumFractionDigits?: number;
  minimumSignificantDigits?: number;
  maximumSignificantDigits?: number;
}

const SYMBOLS: Record<string, string> = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  JPY: "¥",
  INR: "₹",
  CAD: "CA$",
  AUD: "A$",
  CNY: "CN¥",
  KRW: "₩",
};
const ZERO_DIGIT_CURRENCIES = new Set(["JPY", "KRW"]);

/** Rounds the decimal digits of |x| (value = 0.D × 10^point) to `keep` digits, half up. */
function roundDigits(d: string, point: number, keep: number): { d: string; point: number } {
  if (keep >= d.length) return { d, point };
  if (keep < 0) return { d: "0", point: 1 };
  const up = d.charCodeAt(keep) - 48 >= 5;
  let digits = d.slice(0, keep).split("").map(Number);
  if (up) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i < 0) {
      digits = [1, ...digits];
      point++;
    } else digits[i] = (digits[i] as number) + 1;
  }
  const s = digits.join("");
  return s === "" ? { d: "0", point: 1 } : { d: s, point };
}

class NumberFormat {
  private readonly o: Required<
    Omit<NumberOptions, "currency" | "minimumSignificantDigits" | "maximumSignificantDigits">
  > & {
    currency?: string;
    minimumSignificantDigits?: number;
    maximumSignificantDigits?: number;
    locale: string;
  };

  constructor(locales?: Locales, options: NumberOptions = {}) {
    const locale = english(locales, "Intl.NumberFormat");
    const opt = Object(options) as NumberOptions;
    const style = opt.style ?? "decimal";
    if (!["decimal", "percent", "currency"].includes(style)) unsupported("Intl.NumberFormat", "style", style);
    const notation = opt.notation ?? "standard";
    if (notation !== "standard") unsupported("Intl.NumberFormat", "notation", notation);
    const currencyDisplay = opt.currencyDisplay ?? "symbol";
    if (!["symbol", "narrowSymbol", "code"].includes(currencyDisplay))
      unsupported("Intl.NumberFormat", "currencyDisplay", currencyDisplay);
    const signDisplay = opt.signDisplay ?? "auto";
    if (!["auto", "always", "never", "exceptZero", "negative"].includes(signDisplay))
      throw new RangeError(
        `Value ${signDisplay} out of range for Intl.NumberFormat options property signDisplay`,
      );
    let currency: string | undefined;
    if (style === "currency") {
      if (opt.currency === undefined) throw new TypeError("Currency code is required with currency style.");
      currency = String(opt.currency).toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`Invalid currency code : ${opt.currency}`);
    }
    const range = (v: unknown, lo: number, hi: number, name: string): number | undefined => {
      if (v === undefined) return undefined;
      const n = Math.floor(Number(v));
      if (!(n >= lo && n <= hi)) throw new RangeError(`${name} value is out of range.`);
      return n;
    };
    const defMin = style === "currency" ? (ZERO_DIGIT_CURRENCIES.has(currency as string) ? 0 : 2) : 0;
    const defMax = style === "currency" ? defMin : style === "percent" ? 0 : 3;
    let min = range(opt.minimumFractionDigits, 0, 100, "minimumFractionDigits");
    let max = range(opt.maximumFractionDigits, 0, 100, "maximumFractionDigits");
    if (min === undefined && max === undefined) [min, max] = [defMin, defMax];
    else if (min === undefined) min = Math.min(defMin, max as number);
    else if (max === undefined) max = Math.max(defMax, min);
    else if (min > max) throw new RangeError("maximumFractionDigits value is out of range.");
    const minSig = range(opt.minimumSignificantDigits, 1, 21, "minimumSignificantDigits");
    const maxSig = range(opt.maximumSignificantDigits, 1, 21, "maximumSignificantDigits");
    const sig = minSig !== undefined || maxSig !== undefined;
    this.o = {
      locale,
      style,
      currency,
      currencyDisplay,
      notation,
      signDisplay,
      useGrouping:
        opt.useGrouping === undefined ? true : opt.useGrouping !== false && opt.useGrouping !== "false",
      minimumIntegerDigits: range(opt.minimumIntegerDigits, 1, 21, "minimumIntegerDigits") ?? 1,
      minimumFractionDigits: min as number,
      maximumFractionDigits: max as number,
      ...(sig ? { minimumSignificantDigits: minSig ?? 1, maximumSignificantDigits: maxSig ?? 21 } : {}),
    };
  }

  /** Formats a number or BigInt the way Node's ICU does for en-US. */
  format = (value: unknown): string => {
    const o = this.o;
    const big = typeof value === "bigint";
    const x = big ? Number(value) : Number(value);
    const negative = big ? (value as bigint) < 0n : x < 0 || Object.is(x, -0);
    let body: string;
    let zero = false;
    if (Number.isNaN(x)) body = "NaN";
    else if (!Number.isFinite(x)) body = "∞";
    else {
      let d: string;
      let point: number;
      if (big) {
        d = String(value).replace("-", "").replace(/0+$/, "") || "0";
        point = String(value).replace("-", "").length;
      } else {
        const [m = "0", e = "0"] = Math.abs(x).toExponential().split("e");
        d = m.replace(".", "");
        point = Number(e) + 1;
      }
      if (d === "0") point = 1;
      if (o.style === "percent") point += 2;
      if (o.maximumSignificantDigits !== undefined)
        ({ d, point } = roundDigits(d, point, o.maximumSignificantDigits));
      else ({ d, point } = roundDigits(d, point, point + o.maximumFractionDigits));
      d = d.replace(/0+$/, "");
      zero = d === "";
      let int = point <= 0 || zero ? "0" : d.slice(0, point).padEnd(point, "0");
      let frac = zero ? "" : point < 0 ? "0".repeat(-point) + d : d.slice(point);
      if (o.minimumSignificantDigits !== undefined) {
        const have = zero
          ? 1
          : (int === "0" ? "" : int).length + (int === "0" ? frac.replace(/^0+/, "") : frac).length;
        frac = frac.padEnd(frac.length + Math.max(0, o.minimumSignificantDigits - have), "0");
      } else frac = frac.padEnd(o.minimumFractionDigits, "0");
      int = int.padStart(o.minimumIntegerDigits, "0");
      if (o.useGrouping) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      body = frac ? `${int}.${frac}` : int;
    }
    if (o.style === "percent") body += "%";
    if (o.style === "currency") {
      const code = o.currency as string;
      const symbol = o.currencyDisplay === "code" ? undefined : SYMBOLS[code];
      // ICU puts a no-break space between a currency code and digits only ("CHFNaN")
      body = symbol ? symbol + body : `${code}${/^\d/.test(body) ? "\u00a0" : ""}${body}`;
    }
    const isZero = zero || x === 0 || Number.isNaN(x);
    const sign =
      o.signDisplay === "never"
        ? ""
        : o.signDisplay === "always"
          ? negative
            ? "-"
            : "+"
          : o.signDisplay === "exceptZero"
            ? isZero
              ? ""
              : negative
                ? "-"
                : "+"
            : o.signDisplay === "negative"
              ? negative && !isZero
                ? "-"
                : ""
              : negative
                ? "-"
                : "";
    return sign + body;
  };

  resolvedOptions() {
    const { locale, ...rest } = this.o;
    return { locale, numberingSystem: "latn", ...rest };
  }

  static supportedLocalesOf = supportedLocalesOf;
}

// ---------- dates ----------

interface DateOptions {
  timeZone?: string;
  hour12?: boolean;
  hourCycle?: string;
  weekday?: string;
  era?: string;
  year?: string;
  month?: string;
  day?: string;
  hour?: string;
  minute?: string;
  second?: string;
  timeZoneName?: string;
  dateStyle?: string;
  timeStyle?: string;
  fractionalSecondDigits?: number;
  dayPeriod?: string;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const two = (n: number) => String(n).padStart(2, "0");

/** Which default components toLocaleString & co fill in (ECMA-402 ToDateTimeOptions). */
export type DateDefaults = "date" | "time" | "all";

class DateTimeFormat {
  private readonly o: DateOptions & { locale: string; timeZone: string; hour12: boolean; h24: boolean };

  constructor(locales?: Locales, options: DateOptions = {}, defaults: DateDefaults = "date") {
    const locale = english(locales, "Intl.DateTimeFormat");
    const opt = { ...(Object(options) as DateOptions) };
    const tz = opt.timeZone === undefined ? "UTC" : String(opt.timeZone);
    if (!/^(UTC|Etc\/UTC|Etc\/GMT|GMT)$/i.test(tz))
      throw new RangeError(
        `Intl.DateTimeFormat: time zone "${tz}" is not available in a Capstan plugin (only UTC, the plugin's local time; docs/pdk.md)`,
      );
    for (const k of ["era", "fractionalSecondDigits", "dayPeriod"] as const)
      if (opt[k] !== undefined) unsupported("Intl.DateTimeFormat", k, opt[k]);
    if (opt.timeZoneName !== undefined && opt.timeZoneName !== "short" && opt.timeZoneName !== "long")
      unsupported("Intl.DateTimeFormat", "timeZoneName", opt.timeZoneName);
    const parts = ["weekday", "year", "month", "day", "hour", "minute", "second", "timeZoneName"] as const;
    const hasPart = parts.some((k) => opt[k] !== undefined);
    if ((opt.dateStyle !== undefined || opt.timeStyle !== undefined) && hasPart)
      throw new TypeError(
        `Can't set option ${parts.find((k) => opt[k] !== undefined)} when dateStyle is used`,
      );
    if (!hasPart && opt.dateStyle === undefined && opt.timeStyle === undefined) {
      if (defaults !== "time") Object.assign(opt, { year: "numeric", month: "numeric", day: "numeric" });
      if (defaults !== "date") Object.assign(opt, { hour: "numeric", minute: "numeric", second: "numeric" });
    }
    const hour12 =
      opt.hour12 ?? (opt.hourCycle === undefined ? true : opt.hourCycle === "h12" || opt.hourCycle === "h11");
    // like Node/Chrome's ICU, `hour12: false` in en-US means hourCycle h24 (midnight is 24)
    const h24 = opt.hour12 === false || opt.hourCycle === "h24";
    this.o = { ...opt, locale, timeZone: "UTC", hour12, h24 };
  }

  format = (date?: unknown): string => {
    const t = date === undefined ? Date.now() : Number(date instanceof Date ? date.getTime() : date);
    if (!Number.isFinite(t)) throw new RangeError("Invalid time value");
    const d = new Date(t);
    const o = this.o;
    const datePart = o.dateStyle ? this.styledDate(d, o.dateStyle) : this.datePart(d);
    const timePart = o.timeStyle ? this.styledTime(d, o.timeStyle) : this.timePart(d);
    if (!datePart) return timePart;
    if (!timePart) return datePart;
    const textual = o.dateStyle ? o.dateStyle === "full" || o.dateStyle === "long" : o.month === "long";
    return `${datePart}${textual ? " at " : ", "}${timePart}`;
  };

  private styledDate(d: Date, style: string): string {
    const m = d.getUTCMonth();
    const day = d.getUTCDate();
    const y = d.getUTCFullYear();
    switch (style) {
      case "full":
        return `${DAYS[d.getUTCDay()]}, ${MONTHS[m]} ${day}, ${y}`;
      case "long":
        return `${MONTHS[m]} ${day}, ${y}`;
      case "medium":
        return `${(MONTHS[m] as string).slice(0, 3)} ${day}, ${y}`;
      case "short":
        return `${m + 1}/${day}/${two(y % 100)}`;
    }
    throw new RangeError(`Value ${style} out of range for Intl.DateTimeFormat options property dateStyle`);
  }

  private styledTime(d: Date, style: string): string {
    const h = d.getUTCHours();
    const hh = this.o.hour12 ? String(h % 12 || 12) : two(h);
    const ampm = this.o.hour12 ? ` ${h < 12 ? "AM" : "PM"}` : "";
    const mm = two(d.getUTCMinutes());
    const ss = two(d.getUTCSeconds());
    switch (style) {
      case "full":
        return `${hh}:${mm}:${ss}${ampm} Coordinated Universal Time`;
      case "long":
        return `${hh}:${mm}:${ss}${ampm} UTC`;
      case "medium":
        return `${hh}:${mm}:${ss}${ampm}`;
      case "short":
        return `${hh}:${mm}${ampm}`;
    }
    throw new RangeError(`Value ${style} out of range for Intl.DateTimeFormat options property timeStyle`);
  }

  private datePart(d: Date): string {
    const o = this.o;
    const y = d.getUTCFullYear();
    const year = o.year === undefined ? "" : o.year === "2-digit" ? two(y % 100) : String(y);
    const dayN = d.getUTCDate();
    const day = o.day === undefined ? "" : o.day === "2-digit" ? two(dayN) : String(dayN);
    const wd = DAYS[d.getUTCDay()] as string;
    const weekday =
      o.weekday === undefined
        ? ""
        : o.weekday === "long"
          ? wd
          : o.weekday === "short"
            ? wd.slice(0, 3)
            : wd[0];
    const mi = d.getUTCMonth();
    const name = MONTHS[mi] as string;
    let core: string;
    if (o.month === "long" || o.month === "short" || o.month === "narrow") {
      const month = o.month === "long" ? name : o.month === "short" ? name.slice(0, 3) : name[0];
      core = day ? `${month} ${day}${year ? `, ${year}` : ""}` : `${month}${year ? ` ${year}` : ""}`;
    } else {
      const month = o.month === undefined ? "" : o.month === "2-digit" ? two(mi + 1) : String(mi + 1);
      core = [month, day, year].filter((p) => p !== "").join("/");
      if (!month && day && year) core = `${year} (day: ${day})`;
    }
    return [weekday, core].filter((p) => p).join(", ");
  }

  private timePart(d: Date): string {
    const o = this.o;
    if (o.hour === undefined && o.minute === undefined && o.second === undefined) return "";
    const h = d.getUTCHours();
    const min = d.getUTCMinutes();
    const sec = d.getUTCSeconds();
    const bits: string[] = [];
    if (o.hour !== undefined) {
      const v = o.hour12 ? h % 12 || 12 : o.h24 ? h || 24 : h;
      bits.push(o.hour === "2-digit" || !o.hour12 ? two(v) : String(v));
    }
    if (o.minute !== undefined) bits.push(bits.length > 0 || o.minute === "2-digit" ? two(min) : String(min));
    if (o.second !== undefined) bits.push(bits.length > 0 || o.second === "2-digit" ? two(sec) : String(sec));
    // a lone hour with a 24-hour clock is not zero-padded by ICU ("16", "4")
    if (o.hour !== undefined && bits.length === 1 && !o.hour12 && o.hour !== "2-digit") bits[0] = String(h);
    let s = bits.join(":");
    if (o.hour !== undefined && o.hour12) s += ` ${h < 12 ? "AM" : "PM"}`;
    if (o.timeZoneName) s += o.timeZoneName === "long" ? " Coordinated Universal Time" : " UTC";
    return s;
  }

  resolvedOptions() {
    return { ...this.o, calendar: "gregory", numberingSystem: "latn" };
  }

  static supportedLocalesOf = supportedLocalesOf;
}

// ---------- collation ----------

// CLDR root order of printable ASCII (whitespace, punctuation, symbols, digits, letters with
// lower case before upper case at the tertiary level), as Node's ICU sorts it.
const ASCII_ORDER = ` _-,;:!?.'"()[]{}@*/\\&#%\`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz`;

interface CollatorOptions {
  usage?: string;
  sensitivity?: string;
  numeric?: boolean;
  caseFirst?: string;
  ignorePunctuation?: boolean;
}

/** Primary weight of one base character (letters case-folded). */
function primary(c: string): number {
  const lower = c.toLowerCase();
  const i = ASCII_ORDER.indexOf(lower);
  if (i >= 0) return i;
  if (/\s/.test(c)) return 0;
  // other letters after ASCII letters, by code point; other symbols with the ASCII symbols
  return /\p{L}/u.test(c) ? 1000 + (lower.codePointAt(0) as number) : 33;
}

interface Key {
  p: number[];
  accents: string;
  cases: string;
}

function collationKey(s: string, numeric: boolean, ignorePunctuation: boolean): Key {
  const nfd = s.normalize("NFD");
  const p: number[] = [];
  let accents = "";
  let cases = "";
  const chars = Array.from(nfd);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (/\p{M}/u.test(c)) {
      accents += c;
      continue;
    }
    if (ignorePunctuation && !/[\p{L}\p{N}]/u.test(c)) continue;
    if (numeric && c >= "0" && c <= "9") {
      let j = i;
      while (j < chars.length && (chars[j] as string) >= "0" && (chars[j] as string) <= "9") j++;
      const digits = chars
        .slice(i, j)
        .join("")
        .replace(/^0+(?=\d)/, "");
      // shorter numbers first, then digit by digit
      p.push(ASCII_ORDER.indexOf("0"), 10000 + digits.length, ...Array.from(digits, (d) => primary(d)));
      i = j - 1;
      accents += "\0";
      cases += "0";
      continue;
    }
    p.push(primary(c));
    accents += "\0";
    cases += c !== c.toLowerCase() ? "1" : "0";
  }
  return { p, accents, cases };
}

function compareArrays(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const cmp = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);

class Collator {
  private readonly o: Required<CollatorOptions> & { locale: string };
  constructor(locales?: Locales, options: CollatorOptions = {}) {
    const locale = english(locales, "Intl.Collator");
    const opt = Object(options) as CollatorOptions;
    const sensitivity = opt.sensitivity ?? "variant";
    if (!["base", "accent", "case", "variant"].includes(sensitivity))
      throw new RangeError(
        `Value ${sensitivity} out of range for Intl.Collator options property sensitivity`,
      );
    if (opt.caseFirst !== undefined && opt.caseFirst !== "false" && opt.caseFirst !== "lower")
      unsupported("Intl.Collator", "caseFirst", opt.caseFirst);
    this.o = {
      locale,
      usage: opt.usage ?? "sort",
      sensitivity,
      numeric: opt.numeric === true,
      caseFirst: "false",
      ignorePunctuation: opt.ignorePunctuation === true,
    };
  }

  compare = (a: unknown, b: unknown): number => {
    const { numeric, ignorePunctuation, sensitivity } = this.o;
    const ka = collationKey(String(a), numeric, ignorePunctuation);
    const kb = collationKey(String(b), numeric, ignorePunctuation);
    const p = compareArrays(ka.p, kb.p);
    if (p !== 0 || sensitivity === "base") return p;
    if (sensitivity !== "case") {
      const s = cmp(ka.accents, kb.accents);
      if (s !== 0) return s;
    }
    if (sensitivity === "accent") return 0;
    return cmp(ka.cases, kb.cases);
  };

  resolvedOptions() {
    return { ...this.o, collation: "default" };
  }

  static supportedLocalesOf = supportedLocalesOf;
}

// ---------- plural rules ----------

class PluralRules {
  private readonly o: { locale: string; type: string };
  constructor(locales?: Locales, options: { type?: string } = {}) {
    const locale = english(locales, "Intl.PluralRules");
    const type = (Object(options) as { type?: string }).type ?? "cardinal";
    if (type !== "cardinal" && type !== "ordinal")
      throw new RangeError(`Value ${type} out of range for Intl.PluralRules options property type`);
    this.o = { locale, type };
  }

  select(value: unknown): "zero" | "one" | "two" | "few" | "many" | "other" {
    const n = Math.abs(Number(value));
    if (!Number.isFinite(n)) return "other";
    if (this.o.type === "cardinal") return n === 1 ? "one" : "other";
    if (!Number.isInteger(n)) return "other";
    const m10 = n % 10;
    const m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return "one";
    if (m10 === 2 && m100 !== 12) return "two";
    if (m10 === 3 && m100 !== 13) return "few";
    return "other";
  }

  resolvedOptions() {
    const categories = this.o.type === "cardinal" ? ["one", "other"] : ["few", "one", "other", "two"];
    return {
      ...this.o,
      minimumIntegerDigits: 1,
      minimumFractionDigits: 0,
      maximumFractionDigits: 3,
      pluralCategories: categories,
    };
  }

  static supportedLocalesOf = supportedLocalesOf;
}

/** The `Intl` global (English subset). */
export const EnglishIntl = {
  NumberFormat,
  DateTimeFormat,
  Collator,
  PluralRules,
  getCanonicalLocales(locales: Locales): string[] {
    return locales === undefined ? [] : [english(locales, "Intl.getCanonicalLocales")];
  },
};
Object.defineProperty(EnglishIntl, Symbol.toStringTag, { value: "Intl", configurable: true });

defineGlobal("Intl", EnglishIntl);
