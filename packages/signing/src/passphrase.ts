// Passphrases come from a file or stdin, never argv (visible in `ps`). Like Helm's
// --passphrase-file, the passphrase is the first line; "-" means stdin.
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { ExitCode } from "@capstan/manifest";
import { SignatureCode, SignatureError } from "./errors.js";

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? "";
}

/** Reads the first line of a stream (stdin). */
export async function readPassphraseStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return firstLine(Buffer.concat(chunks).toString("utf8"));
}

/** Reads the passphrase from `path` (first line), or from `stdin` when path is "-". */
export async function readPassphraseFile(path: string, stdin: Readable = process.stdin): Promise<string> {
  if (path === "-") return readPassphraseStream(stdin);
  try {
    return firstLine(await readFile(path, "utf8"));
  } catch (e) {
    throw new SignatureError(
      SignatureCode.passphraseRequired,
      `cannot read passphrase file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: "pass an existing file to --passphrase-file, or use --passphrase-stdin",
        cause: e,
        exitCode: ExitCode.usage,
      },
    );
  }
}
