import { expect, test } from "@jest/globals";
import { terminalText } from "./terminal-text.js";

test("terminal control sequences from plugins are shown, not obeyed", () => {
  expect(terminalText("\x1b]0;owned\x07title")).toBe("\\u001b]0;owned\\u0007title"); // OSC 0
  expect(terminalText("\x1b]52;c;ZXZpbA==\x07")).toBe("\\u001b]52;c;ZXZpbA==\\u0007"); // OSC 52
  expect(terminalText("\x1b[2J\x1b[H")).toBe("\\u001b[2J\\u001b[H"); // clear screen
  expect(terminalText("fine\rFAKE")).toBe("fine\\rFAKE"); // carriage-return overwrite
  expect(terminalText("\x9b31m \x7f \u202e")).toBe("\\u009b31m \\u007f \\u202e"); // C1 CSI, DEL, RLO
  // Newlines and tabs stay (multi-line messages), as does ordinary text in any script.
  expect(terminalText("two\nlines\tand ünïcödé 漢字")).toBe("two\nlines\tand ünïcödé 漢字");
});
