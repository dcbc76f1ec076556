// Asking for a new key's passphrase on the terminal, without echo: a passphrase must never be
// an argument (visible in `ps` and shell history), and a key written without one is readable
// by anyone who gets the file. Raw mode turns echo off; the prompt goes to stderr so stdout
// stays the key report.
import { StringDecoder } from "node:string_decoder";
import { CapstanError, ExitCode } from "@capstan/manifest";

/** A terminal input: stdin when it is a TTY (tests pass a stream with the same two members). */
export interface TtyInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** True when `input` is a terminal we can read a hidden line from. */
export function isTerminal(input: NodeJS.ReadableStream): input is TtyInput {
  const tty = input as TtyInput;
  return tty.isTTY === true && typeof tty.setRawMode === "function";
}

/** Reads one line from the terminal with echo off; Ctrl-C cancels, Ctrl-D ends the line. */
export function readHiddenLine(input: TtyInput, prompt: string, write: (s: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let line = "";
    // A multi-byte character may arrive split across chunks.
    const decoder = new StringDecoder("utf8");
    const finish = (error?: Error) => {
      input.removeListener("data", onData);
      input.setRawMode?.(false);
      input.pause();
      write("\n");
      if (error === undefined) resolve(line);
      else reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
      for (const ch of text) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") {
          return finish(
            new CapstanError("KEYGEN_CANCELLED", "keygen cancelled at the passphrase prompt", {
              exitCode: ExitCode.failure,
            }),
          );
        }
        if (ch === "\u007f" || ch === "\b") line = line.slice(0, -1);
        else if (ch >= " ") line += ch;
      }
    };
    input.setRawMode?.(true);
    input.on("data", onData);
    input.resume();
    write(prompt);
  });
}

/** Asks twice for a new passphrase; "" means none. Mismatching entries are a usage error. */
export async function promptNewPassphrase(input: TtyInput, write: (s: string) => void): Promise<string> {
  const first = await readHiddenLine(input, "Passphrase for the new key (empty for none): ", write);
  if (first === "") return "";
  const again = await readHiddenLine(input, "Repeat the passphrase: ", write);
  if (again !== first) {
    throw new CapstanError("KEYGEN_PASSPHRASE_MISMATCH", "the two passphrases differ; no key was written", {
      exitCode: ExitCode.usage,
      hint: "run keygen again and type the same passphrase twice (or use --passphrase-file <f>)",
    });
  }
  return first;
}
