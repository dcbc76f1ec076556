// URLPattern (subset): named groups `:name`, custom regexps `(\\d+)`, wildcards `*`, groups
// `{...}`, modifiers `? + *`, the optional "/" prefix in pathnames, `ignoreCase`, test/exec.
// Missing: full pattern canonicalization (only non-ASCII/space literals are percent-encoded),
// escaped-colon strings for non-special schemes, hasRegExpGroups, compareComponent.
import { defineGlobal, tag } from "./define.js";
import { URL } from "./url.js";

const COMPONENTS = [
  "protocol",
  "username",
  "password",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
] as const;
type Component = (typeof COMPONENTS)[number];
type Init = Partial<Record<Component, string>> & { baseURL?: string };

interface Compiled {
  re: RegExp;
  names: string[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function compile(pattern: string, component: Component, ignoreCase: boolean): Compiled {
  const seg = component === "pathname" ? "[^/]+?" : component === "hostname" ? "[^.]+?" : ".+?";
  const names: string[] = [];
  let anon = 0;
  let i = 0;
  const readName = () => {
    const m = /^[A-Za-z_$][\w$]*/.exec(pattern.slice(i));
    if (!m) throw new TypeError(`Invalid URLPattern: missing name after ':' in ${component} "${pattern}"`);
    i += m[0].length;
    return m[0];
  };
  const readRegex = () => {
    let depth = 1;
    const start = ++i;
    while (i < pattern.length && depth > 0) {
      if (pattern[i] === "\\") i++;
      else if (pattern[i] === "(") depth++;
      else if (pattern[i] === ")") depth--;
      i++;
    }
    if (depth !== 0) throw new TypeError(`Invalid URLPattern: unbalanced '(' in ${component} "${pattern}"`);
    return pattern.slice(start, i - 1);
  };
  const readModifier = () => {
    const c = pattern[i];
    if (c === "?" || c === "+" || c === "*") {
      i++;
      return c;
    }
    return "";
  };
  const group = (inner: string, mod: string, prefix: string) => {
    const body = `(${inner})`;
    if (!mod) return prefix + body;
    if (mod === "?") return `(?:${prefix}${body})?`;
    // repeated groups capture the whole repetition, as URLPattern does
    const rep = `((?:${inner})(?:${prefix}(?:${inner}))${mod === "+" ? "*" : "*"})`;
    return mod === "+" ? prefix + rep : `(?:${prefix}${rep})?`;
  };
  const parse = (end: string): string => {
    let out = "";
    while (i < pattern.length && pattern[i] !== end) {
      const c = pattern[i] as string;
      if (c === "\\") {
        out += esc(pattern[i + 1] ?? "");
        i += 2;
      } else if (c === ":" || c === "(" || c === "*") {
        let inner: string;
        if (c === ":") {
          i++;
          names.push(readName());
          inner = pattern[i] === "(" ? readRegex() : seg;
        } else if (c === "(") {
          names.push(String(anon++));
          inner = readRegex();
        } else {
          i++;
          names.push(String(anon++));
          inner = ".*";
        }
        const mod = readModifier();
        let prefix = "";
        if (component === "pathname" && mod && out.endsWith("\\/")) {
          out = out.slice(0, -2);
          prefix = "\\/";
        }
        out += group(inner, mod, prefix);
      } else if (c === "{") {
        i++;
        const inner = parse("}");
        i++;
        const mod = readModifier();
        out += mod ? `(?:${inner})${mod}` : inner;
      } else {
        out += esc(c);
        i++;
      }
    }
    return out;
  };
  const src = parse("\u0000");
  return { re: new RegExp(`^${src}$`, ignoreCase ? "ui" : "u"), names };
}

/** Percent-encodes non-ASCII and space literals (outside regexp groups) the way URLs encode them. */
function canonical(pattern: string, component: Component): string {
  if (component === "protocol" || component === "hostname" || component === "port") return pattern;
  let depth = 0;
  let out = "";
  for (const ch of pattern) {
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    const c = ch.codePointAt(0) as number;
    out += depth === 0 && (c > 0x7e || c === 0x20) ? encodeURIComponent(ch) : ch;
  }
  return out;
}

function componentsOf(u: URL): Record<Component, string> {
  return {
    protocol: u.protocol.slice(0, -1),
    username: u.username,
    password: u.password,
    hostname: u.hostname,
    port: u.port,
    pathname: u.pathname,
    search: u.search.slice(1),
    hash: u.hash.slice(1),
  };
}

function parsePatternString(s: string, base?: string): Init {
  const init: Init = {};
  let rest = s;
  const proto = /^([^:/?#]+):\/\//.exec(rest);
  if (proto) {
    init.protocol = proto[1];
    rest = rest.slice(proto[0].length);
    const slash = rest.search(/[/?#]/);
    let auth = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const at = auth.lastIndexOf("@");
    if (at >= 0) {
      const [u, p] = auth.slice(0, at).split(":");
      init.username = u;
      if (p !== undefined) init.password = p;
      auth = auth.slice(at + 1);
    }
    const port = /:(\d*|\*)$/.exec(auth);
    if (port && !auth.endsWith("]")) {
      init.port = port[1];
      auth = auth.slice(0, port.index);
    }
    init.hostname = auth;
    if (init.port === undefined) init.port = "";
    init.pathname = "/";
  } else if (!base) throw new TypeError(`Invalid URLPattern: "${s}" is relative and no baseURL was given`);
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    init.hash = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let q = -1;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "\\") i++;
    else if (rest[i] === "?" && !/(:[A-Za-z_$][\w$]*|[)*}])$/.test(rest.slice(0, i))) {
      q = i;
      break;
    }
  }
  if (q >= 0) {
    init.search = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (rest) init.pathname = rest;
  if (base) init.baseURL = base;
  return init;
}

/** The `URLPattern` global (subset, see the file comment). */
export class URLPattern {
  private _c: Record<Component, Compiled>;
  private _p: Record<Component, string>;
  constructor(
    input: string | Init = {},
    baseOrOptions?: string | { ignoreCase?: boolean },
    maybeOptions?: { ignoreCase?: boolean },
  ) {
    const base = typeof baseOrOptions === "string" ? baseOrOptions : undefined;
    const options = (typeof baseOrOptions === "object" ? baseOrOptions : maybeOptions) ?? {};
    const init = typeof input === "string" ? parsePatternString(input, base) : { ...input };
    const b = init.baseURL ? componentsOf(new URL(init.baseURL)) : null;
    const p = {} as Record<Component, string>;
    let inherit = Boolean(b);
    for (const k of COMPONENTS) {
      const given = init[k];
      if (given !== undefined) {
        p[k] = canonical(given, k);
        if (k !== "username" && k !== "password") inherit = false;
      } else p[k] = inherit && b && k !== "username" && k !== "password" ? b[k] : "*";
    }
    this._p = p;
    this._c = {} as Record<Component, Compiled>;
    for (const k of COMPONENTS)
      this._c[k] = compile(p[k], k, Boolean(options.ignoreCase) && k !== "protocol");
  }
  get protocol(): string {
    return this._p.protocol;
  }
  get username(): string {
    return this._p.username;
  }
  get password(): string {
    return this._p.password;
  }
  get hostname(): string {
    return this._p.hostname;
  }
  get port(): string {
    return this._p.port;
  }
  get pathname(): string {
    return this._p.pathname;
  }
  get search(): string {
    return this._p.search;
  }
  get hash(): string {
    return this._p.hash;
  }
  /** True when the URL (or URL parts) matches every component. */
  test(input: string | Init = {}, base?: string): boolean {
    return this.exec(input, base) !== null;
  }
  /** The match with named groups per component, or null. */
  exec(input: string | Init = {}, base?: string) {
    let parts: Record<Component, string>;
    try {
      if (typeof input === "string") parts = componentsOf(new URL(input, base));
      else {
        const b = input.baseURL ? componentsOf(new URL(input.baseURL)) : null;
        parts = {} as Record<Component, string>;
        for (const k of COMPONENTS) parts[k] = input[k] ?? (b ? b[k] : "");
      }
    } catch {
      return null;
    }
    const result: Record<string, unknown> = { inputs: base === undefined ? [input] : [input, base] };
    for (const k of COMPONENTS) {
      const { re, names } = this._c[k];
      const m = re.exec(parts[k]);
      if (!m) return null;
      const groups: Record<string, string | undefined> = {};
      names.forEach((n, i) => {
        groups[n] = m[i + 1];
      });
      result[k] = { input: parts[k], groups };
    }
    return result as { inputs: unknown[] } & Record<
      Component,
      { input: string; groups: Record<string, string | undefined> }
    >;
  }
}

tag(URLPattern, "URLPattern");
defineGlobal("URLPattern", URLPattern);
