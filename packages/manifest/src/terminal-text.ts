// The one escape for text that a plugin or its plugin.yaml wrote, on its way to a terminal:
// plugin log lines, thrown messages, HTTP method strings, manifest warnings, help and list
// cells. Control characters (C0 but newline and tab, DEL, C1) and bidirectional overrides are
// shown as JSON-style escapes (`\r`, `\u001b`), as archive entry names are, so a plugin cannot
// set the terminal title (OSC 0), the clipboard (OSC 52), clear the screen or overwrite a line.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\b": "\\b", "\f": "\\f", "\r": "\\r" };

/** `text` with every character that could drive a terminal written as a visible escape. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
