// Text from a plugin repository (names, descriptions, URLs in an index) is written by whoever
// hosts the repository: before it reaches a terminal, control characters (ESC, CSI, newlines,
// DEL and the C1 range) become visible escapes, so an index cannot move the cursor, rewrite
// earlier lines or forge an `error:`/`hint:` line.

/** C0 controls, DEL, the C1 range (CSI is U+009B) and the Unicode line/paragraph separators. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** `text` with every control character shown as `\uXXXX`. */
export function printable(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0)!;
    out += isControl(code) ? `\\u${code.toString(16).padStart(4, "0")}` : c;
  }
  return out;
}

/** `text` in double quotes, printable: for names that failed validation in messages. */
export function quoted(text: string): string {
  return `"${printable(text.replace(/["\\]/g, (c) => `\\${c}`))}"`;
}
